/**
 * The engine benchmark: `npx node scripts/bench-engine.ts [--json] [--virtual] [--workloads N] [--steps N]`.
 *
 * On random layered DAGs (200 steps of 5-100 ms sim.delay, 8 slots) it reports makespan / lower bound for
 * critical-path scheduling, for level-by-level waves (the older systems) and for the sequential engine,
 * then the engine's overhead per step on 10,000 sim.noop steps. Targets: critical-path within 5% of the
 * lower bound; under 20 µs per no-op step. Exits 1 when a target is missed.
 */
import { benchmarkEngine, type EngineBenchmarkReport } from '@ucop/core';

const MAKESPAN_TARGET = 1.05;
const OVERHEAD_TARGET_US = 20;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function format(report: EngineBenchmarkReport): string {
  const lines = [`engine benchmark (${report.clock} clock)`, '', 'makespan / lower bound (max(critical path, work / slots)):'];
  for (const f of report.scheduling) {
    lines.push(`  ${f.workload.padEnd(16)} ${f.mode.padEnd(14)} ${f.makespanMs.toFixed(0).padStart(7)} ms / ${f.lowerBoundMs.toFixed(0).padStart(6)} ms = ${f.ratio.toFixed(3)}`);
  }
  lines.push('', 'mean ratio:');
  for (const [mode, ratio] of Object.entries(report.summary)) lines.push(`  ${mode.padEnd(14)} ${ratio.toFixed(3)}${mode === 'critical-path' ? ` (target <= ${MAKESPAN_TARGET})` : ''}`);
  lines.push('', 'engine overhead per no-op step:');
  for (const o of report.overhead) lines.push(`  ${o.engine.padEnd(10)} ${o.steps} steps in ${o.wallMs.toFixed(1)} ms = ${o.usPerStep.toFixed(2)} µs/step (target < ${OVERHEAD_TARGET_US})`);
  return lines.join('\n');
}

const report = await benchmarkEngine({
  clock: process.argv.includes('--virtual') ? 'virtual' : 'real',
  workloads: Number(option('--workloads') ?? 3),
  steps: Number(option('--steps') ?? 200),
});
const missed = report.summary['critical-path'] > MAKESPAN_TARGET || report.overhead.some((o) => o.engine === 'parallel' && o.usPerStep >= OVERHEAD_TARGET_US);
if (process.argv.includes('--json')) process.stdout.write(JSON.stringify({ ...report, targets: { makespanRatio: MAKESPAN_TARGET, overheadUs: OVERHEAD_TARGET_US }, met: !missed }, null, 2) + '\n');
else process.stdout.write(format(report) + '\n');
process.exitCode = missed ? 1 : 0;
