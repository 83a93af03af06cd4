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

  it('keeps the text it hashes: fingerprints journaled by earlier versions still match (resume reuses their results)', () => {
    // Values computed by the version before the fast paths for empty lists, a missing provider and sorted input.
    expect(computeFingerprint({ stepId: 'a', itemIndex: undefined, agent: 'sim.noop', agentVersion: '1', input: {}, settings: { writes: [], provider: undefined, fallback: [] }, dependencies: [] })).toBe(
      'b0c6c243873f47413d29996cb7bceb3264b57941d47335a01b7e45d1287b3315',
    );
    expect(
      computeFingerprint({
        stepId: 'b"x',
        itemIndex: 3,
        agent: 'llm',
        agentVersion: '2.1',
        input: { z: [1, { b: 2, a: 1 }], a: 'é' },
        settings: { writes: ['log', 'total'], provider: 'openai', fallback: ['anthropic'] },
        dependencies: [
          ['a', 'f'.repeat(64)],
          ['c', 'status:failed'],
        ],
      }),
    ).toBe('09adc0fb75a2ef5db372496c6eae58f0aa95ffd365ff8ebb6a616bb28cf7e94e');
  });
});
