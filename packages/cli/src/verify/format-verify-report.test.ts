import { describe, it, expect } from 'vitest';
import { formatVerifyReport } from './format-verify-report.ts';

describe('formatVerifyReport', () => {
  it('prints each check as PASS or FAIL with its reason and names the failed ones', () => {
    const text = formatVerifyReport({
      ok: false,
      startedAt: '2025-01-01T00:00:00.000Z',
      durationMs: 4200,
      checks: [
        { name: 'runtime', ok: true, reason: 'Node 24.21.0', durationMs: 3 },
        { name: 'exactly-once', ok: false, reason: 'parallel engine: fan[2] attempt 1 ran 2 times', durationMs: 900 },
      ],
    });
    expect(text).toBe(
      'PASS runtime: Node 24.21.0 (0.0 s)\nFAIL exactly-once: parallel engine: fan[2] attempt 1 ran 2 times (0.9 s)\n\nverify: 1 of 2 checks failed: exactly-once (4.2 s)\n',
    );
  });

  it('says when everything passed', () => {
    expect(formatVerifyReport({ ok: true, startedAt: '', durationMs: 1000, checks: [{ name: 'runtime', ok: true, reason: 'ok' }] })).toContain('verify: all 1 checks passed (1.0 s)');
  });
});
