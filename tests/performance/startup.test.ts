import { resolve } from 'node:path';
import { describe, it, expect } from 'vitest';
import { formatStartupTable, runStartupBench, standardStartupCases } from '../../packages/cli/src/bench/startup-benchmark.ts';
import { recordPerfCase } from './perf-report.ts';

/**
 * Start-up of the real binary (the built JavaScript, as an installed package runs it) next to `node -e 0`, in
 * pairs within this run: `ucop --version` and `ucop --help` within 3x, `ucop validate` of the blog workflow
 * within 5x (issue: every command used to load the whole framework, 18x for --version). The assertion is on
 * CPU time from the kernel's accounting, which a loaded machine disturbs far less than wall time; both go to
 * reports/perf/.
 */
const REPO = resolve(import.meta.dirname, '../..');

describe('start-up', () => {
  it('ucop --version, --help and validate start within their ratios of node -e 0', () => {
    const figures = runStartupBench(standardStartupCases('workflows/blog_generation.yaml'), {
      binary: resolve(REPO, 'packages/cli/bin/ucop.js'),
      cwd: REPO,
      runs: 10,
    });
    process.stdout.write(formatStartupTable(figures));
    for (const f of figures) {
      void recordPerfCase(`startup.${f.name.replace(/^-+/, '')}`, { ...f, args: f.args.join(' ') });
      const ratio = f.cpuRatio ?? f.wallRatio;
      expect(ratio, `ucop ${f.name}: ${ratio.toFixed(2)}x of node -e 0 (target ${f.target}x)`).toBeLessThanOrEqual(f.target);
    }
  }, 180_000);
});
