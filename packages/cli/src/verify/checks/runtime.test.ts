import { describe, it, expect } from 'vitest';
import { checkRuntime, type RuntimeCheckDeps } from './runtime.ts';
import { dependencyRequirements, supportedNodeRange, installedVersion } from '../installed-packages.ts';

function deps(overrides: Partial<RuntimeCheckDeps> = {}): RuntimeCheckDeps {
  const installed: Record<string, string> = { yaml: '2.9.1', ajv: '8.20.0', graphology: '0.26.0' };
  return {
    nodeVersion: '24.21.0',
    nodeRange: '>=24',
    requirements: [
      { name: 'yaml', range: '^2.9.1', declaredBy: '/core' },
      { name: 'ajv', range: '^8.20.0', declaredBy: '/core' },
      { name: 'graphology', range: '^0.26.0', declaredBy: '/core' },
    ],
    installedVersion: (name) => installed[name],
    ...overrides,
  };
}

describe('checkRuntime', () => {
  it('passes with a supported Node and dependencies in range', () => {
    const result = checkRuntime(deps());
    expect(result).toMatchObject({ name: 'runtime', ok: true });
    expect(result.reason).toContain('Node 24.21.0');
  });

  it('fails on an old Node and says how to get the right one', () => {
    const result = checkRuntime(deps({ nodeVersion: '20.19.5' }));
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/Node 20\.19\.5 is not supported \(need >=24.*npx/);
  });

  it('fails on a dependency outside its range, naming it, its version and the range', () => {
    const result = checkRuntime(deps({ installedVersion: (n) => (n === 'graphology' ? '0.25.4' : '8.20.0') }));
    expect(result.ok).toBe(false);
    expect(result.reason).toContain('graphology 0.25.4 is outside the supported range ^0.26.0');
  });

  it('fails on a missing dependency', () => {
    const result = checkRuntime(deps({ installedVersion: (n) => (n === 'yaml' ? undefined : '8.20.0') }));
    expect(result.ok).toBe(false);
    expect(result.reason).toContain('yaml is not installed');
  });

  it('reads the real workspace: the ranges include the core libraries, and this installation passes', () => {
    const requirements = dependencyRequirements();
    const names = requirements.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['yaml', 'ajv', '@opentelemetry/api', 'commander']));
    expect(names.some((n) => n.startsWith('@ucop/'))).toBe(false);
    const result = checkRuntime({ nodeVersion: process.versions.node, nodeRange: supportedNodeRange()!, requirements, installedVersion });
    expect(result.reason).not.toMatch(/not installed/);
    expect(result.ok).toBe(true);
  });
});
