import type { BenchReport } from './run-bench.ts';
import type { WorkloadMeasurement } from './measure-workload.ts';

const COLUMNS = ['workload', 'tasks', 'slots', 'lower bound', 'parallel', 'sequential', 'speedup', 'vs bound', 'levels', 'levels vs bound', 'overhead/step'] as const;

function ms(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '-' : `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

function ratio(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? '-' : `${value.toFixed(2)}x`;
}

function row(m: WorkloadMeasurement): string[] {
  return [
    m.workload,
    String(m.bounds.tasks),
    String(m.maxParallel),
    ms(m.bounds.lowerBoundMs === 0 ? undefined : m.bounds.lowerBoundMs),
    ms(m.parallelMs),
    ms(m.sequentialMs),
    ratio(m.speedup),
    ratio(m.ratioToLowerBound),
    ms(m.levelsMs),
    ratio(m.levelsRatioToLowerBound),
    m.overheadPerStepUs === undefined ? '-' : `${m.overheadPerStepUs.toFixed(1)} µs`,
  ];
}

/**
 * The `ucop bench` table: one row per workload, then the machine it ran on. `speedup` is sequential /
 * parallel; `vs bound` is parallel wall time / lower bound (1.00x = as fast as the graph and the slots
 * allow); `levels` is the same workload scheduled level by level, as the older systems did.
 */
export function formatBenchTable(report: BenchReport): string {
  const rows = [COLUMNS.map(String), ...report.workloads.map(row)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  const m = report.machine;
  out.push('', `best of ${report.repeats} runs, durations x${report.scale}; ${m.cpuModel}, ${m.cpus} CPUs, ${m.memoryGb} GB, ${m.platform}, Node ${m.node}, load ${m.load1}`);
  return `${out.join('\n')}\n`;
}
