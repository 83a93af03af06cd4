import { describe, it, expect } from 'vitest';
import type { Diagnostic } from '@ucop/core';
import { checkWorkflows } from './workflows.ts';

const unknownAgent: Diagnostic = { file: 'w.yaml', line: 4, col: 12, code: 'UNKNOWN_AGENT', message: 'unknown agent "writer.outlin"', hint: 'did you mean "writer.outline"?' };

describe('checkWorkflows (injected files)', () => {
  it('passes when nothing is reported', async () => {
    const result = await checkWorkflows({ files: ['a.yaml'], validateFile: async () => [], configFiles: ['main.yaml'], checkConfigFile: async () => [] });
    expect(result).toMatchObject({ ok: true, reason: '1 workflow(s) and 1 configuration file(s) valid, every agent known' });
  });

  it('fails with every diagnostic in file:line:col: CODE form', async () => {
    const result = await checkWorkflows({ files: ['w.yaml'], validateFile: async () => [unknownAgent], configFiles: [], checkConfigFile: async () => [] });
    expect(result.ok).toBe(false);
    expect(result.reason).toBe('1 problem(s): w.yaml:4:12: UNKNOWN_AGENT unknown agent "writer.outlin" (did you mean "writer.outline"?)');
  });

  it('fails when there is nothing to validate or a directory is missing', async () => {
    const result = await checkWorkflows({ files: [], validateFile: async () => [], configFiles: [], checkConfigFile: async () => [], problems: ['--workflows directory ./nope does not exist'] });
    expect(result.ok).toBe(false);
    expect(result.reason).toContain('./nope does not exist');
    expect(result.reason).toContain('no workflow files found');
  });
});
