import { describe, it, expect } from 'vitest';
import { formatGenerateReport, postGenerator } from './generate-report.ts';
import type { GenerateSummary } from './generate-report.ts';

const base: GenerateSummary = {
  runId: 'r',
  workflow: 'blog_generation',
  status: 'succeeded',
  engine: 'parallel',
  wallMs: 1500,
  maxParallel: 5,
  outDir: 'out',
  record: 'out/run.json',
  outputs: { post: '/abs/out/post.md' },
  steps: { total: 13, succeeded: 13, failed: 0, skipped: 0, cancelled: 0, timedOut: 0, resumed: 0, items: 5, resumedItems: 0 },
  metrics: { sumStepMs: 3900, speedup: 2.6, criticalPath: { steps: [], ms: 0 }, lowerBoundMs: 1200, efficiency: 0.8 },
  errors: [],
  usage: { calls: 8, inputTokens: 100, outputTokens: 40, costUsd: 0, byProvider: { offline: { calls: 8, inputTokens: 100, outputTokens: 40, costUsd: 0 } }, offline: true },
  post: 'out/post.md',
  provider: { provider: 'offline', reason: 'offline', detail: 'no provider key is set' },
  generator: 'offline',
};

describe('formatGenerateReport', () => {
  it('says where the post is, the wall time, the speedup and the provider usage', () => {
    const text = formatGenerateReport(base);
    expect(text).toContain('Post written to out/post.md');
    expect(text).toContain('Wall time 1.5s; speedup 2.60x against running the same work one step after another (3.9s of work, waits excluded; parallel engine, max_parallel 5)');
    expect(text).toContain('Provider: offline (no provider key is set)');
    expect(text).toContain('Provider usage: 8 calls');
    expect(text).toContain('Written OFFLINE');
    expect(text).toContain('Run record: out/run.json');
  });

  it('still says the post was written offline when this run only resumed it', () => {
    const text = formatGenerateReport({ ...base, usage: undefined, steps: { ...base.steps, resumed: 13, resumedItems: 5 }, metrics: { ...base.metrics, sumStepMs: 0 } });
    expect(text).toContain('Resumed 13 of 13 steps and 5 of 5 fan-out items from the previous run.');
    expect(text).toContain('no model calls in this run');
    expect(text).toContain('The post was written OFFLINE');
    expect(text).toContain('no step ran in this run');
  });

  it('reports a failed run without a post', () => {
    const text = formatGenerateReport({ ...base, status: 'failed', post: null, errors: [{ code: 'AGENT_ERROR', message: 'boom', step: 'outline' }] });
    expect(text).toContain('No post was written: the run failed.');
    expect(text).toContain('no speedup: the run failed');
    expect(text).not.toContain('2.60x');
    expect(text).toContain('Errors:\n  outline: AGENT_ERROR boom\n');
  });
});

describe('postGenerator', () => {
  it('reads generator: from the front matter only', () => {
    expect(postGenerator('---\ntitle: x\ngenerator: offline\n---\n# x\n')).toBe('offline');
    expect(postGenerator('---\ntitle: x\n---\ngenerator: offline\n')).toBeNull();
    expect(postGenerator('# no front matter\n')).toBeNull();
    expect(postGenerator('---\ngenerator: "openai"\n---\n')).toBe('openai');
  });
});
