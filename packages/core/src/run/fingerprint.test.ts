import { describe, it, expect } from 'vitest';
import { computeFingerprint, combineFingerprints, type FingerprintParts } from './fingerprint.ts';

const base: FingerprintParts = {
  stepId: 's',
  itemIndex: undefined,
  agent: 'a',
  agentVersion: '1',
  input: { b: 1, a: [1, { y: 2, x: 1 }] },
  settings: { writes: ['k'], provider: undefined, fallback: [] },
  dependencies: [['d', 'f00']],
};

describe('fingerprints', () => {
  it('is stable for equal parts and changes with every part that decides the result', () => {
    const fp = computeFingerprint(base);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    expect(computeFingerprint({ ...base, input: { a: [1, { x: 1, y: 2 }], b: 1 } })).toBe(fp);
    const variants: Partial<FingerprintParts>[] = [
      { agentVersion: '2' },
      { agent: 'b' },
      { input: { b: 2, a: [1, { y: 2, x: 1 }] } },
      { itemIndex: 0 },
      { settings: { writes: [], provider: undefined, fallback: [] } },
      { settings: { writes: ['k'], provider: 'openai', fallback: [] } },
      { dependencies: [['d', 'f01']] },
      { stepId: 't' },
    ];
    for (const v of variants) expect(computeFingerprint({ ...base, ...v })).not.toBe(fp);
  });

  it('combines item fingerprints in order', () => {
    expect(combineFingerprints('s', ['a', 'b'])).not.toBe(combineFingerprints('s', ['b', 'a']));
    expect(combineFingerprints('s', ['a', 'b'])).toBe(combineFingerprints('s', ['a', 'b']));
  });
});
