import { describe, it, expect } from 'vitest';
import { AgentRegistry, createSimDelayAgent, validateWorkflowSource } from '@ucop/core';
import type { LoadedWorkflow } from '@ucop/core';
import { unknownProviderDiagnostics } from './provider-references.ts';

const agents = new AgentRegistry([createSimDelayAgent()]);

function load(source: string): LoadedWorkflow {
  const { workflow, diagnostics } = validateWorkflowSource(source, 'wf.yaml', { agents });
  if (!workflow) throw new Error(diagnostics.map((d) => d.message).join('; '));
  return workflow;
}

const WORKFLOW = `version: 1
name: providers
config:
  provider: opnai
  fallback: [offline, anthropic]
steps:
  a: { agent: sim.delay, with: { ms: 1 }, provider: openai }
  b:
    agent: sim.delay
    with: { ms: 1 }
    fallback: [offline, locl]
`;

describe('unknownProviderDiagnostics', () => {
  it('reports every name the providers file does not define, where it is written, with a suggestion', () => {
    const diagnostics = unknownProviderDiagnostics(load(WORKFLOW), ['openai', 'local'], 'config/providers.yaml');
    expect(diagnostics).toEqual([
      { file: 'wf.yaml', line: 4, col: 13, code: 'CONFIG_INVALID', message: 'unknown provider `opnai`: config/providers.yaml defines `openai`, `local`, `offline`', hint: 'did you mean `openai`?' },
      { file: 'wf.yaml', line: 5, col: 23, code: 'CONFIG_INVALID', message: 'unknown provider `anthropic`: config/providers.yaml defines `openai`, `local`, `offline`' },
      { file: 'wf.yaml', line: 11, col: 25, code: 'CONFIG_INVALID', message: 'unknown provider `locl`: config/providers.yaml defines `openai`, `local`, `offline`', hint: 'did you mean `local`?' },
    ]);
  });

  it('offline always exists, with or without a providers file', () => {
    const workflow = load('version: 1\nname: w\nconfig: { provider: offline }\nsteps:\n  a: { agent: sim.delay, with: { ms: 1 } }\n');
    expect(unknownProviderDiagnostics(workflow, [], undefined)).toEqual([]);
    const named = load('version: 1\nname: w\nsteps:\n  a: { agent: sim.delay, with: { ms: 1 }, provider: openai }\n');
    expect(unknownProviderDiagnostics(named, [], undefined)[0]?.message).toBe('unknown provider `openai`: there is no providers file, so only `offline` exists');
  });
});
