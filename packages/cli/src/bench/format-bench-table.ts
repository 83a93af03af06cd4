import type { BenchReport } from './run-bench.ts';
import type { WorkloadMeasurement } from './measure-workload.ts';

const COLUMNS = ['workload', 'tasks', 'slots', 'lower bound', 'parallel', 'sequential', 'speedup', 'vs bound', 'levels', 'levels vs bound', 'slack/step'] as const;

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
    m.overheadPerStepUs === undefined ? '-' : `${m.overheadPerStepUs.toFixed(0)} µs`,
  ];
}

/**
 * The `ucop bench` table: one row per workload, then the machine it ran on. `speedup` is sequential /
 * parallel; `vs bound` is parallel wall time / lower bound (1.00x = as fast as the graph and the slots
 * allow); `levels` is the same workload scheduled level by level, as the older systems did;
 * `slack/step` is what the sequential engine spent beyond the simulated work, per task (engine overhead plus
 * timer lateness; the engine's own cost is the no-op figure below it). Then the engine's
 * benchmark on random DAGs, its per-step overhead on no-op steps, and the run store's cost on the same
 * steps, when they were run.
 */
export function formatBenchTable(report: BenchReport): string {
  const rows = [COLUMNS.map(String), ...report.workloads.map(row)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const out = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  const engine = report.engine;
  if (engine && engine.scheduling.length > 0) {
    out.push('', 'random layered DAGs (200 steps, 5-100 ms, 8 slots), makespan / lower bound:');
    const modes = ['critical-path', 'levels', 'sequential'] as const;
    const workloads = [...new Set(engine.scheduling.map((f) => f.workload))];
    out.push(`  ${'workload'.padEnd(16)}${modes.map((m) => m.padStart(15)).join('')}`);
    for (const w of workloads) {
      const cells = modes.map((mode) => {
        const f = engine.scheduling.find((x) => x.workload === w && x.mode === mode);
        return (f ? `${f.ratio.toFixed(3)}x` : '-').padStart(15);
      });
      out.push(`  ${w.padEnd(16)}${cells.join('')}`);
    }
    out.push(`  ${'mean'.padEnd(16)}${modes.map((mode) => `${engine.summary[mode].toFixed(3)}x`.padStart(15)).join('')}`);
  }
  if (engine && engine.overhead.length > 0) {
    out.push('', 'engine overhead per no-op step:');
    for (const o of engine.overhead) out.push(`  ${o.engine.padEnd(10)} ${o.steps} steps in ${o.wallMs.toFixed(1)} ms = ${o.usPerStep.toFixed(2)} µs/step`);
  }
  const floor = report.floor;
  if (floor?.dag || floor?.engine) out.push('', 'against the floor (a minimal list scheduler: no checks, no record), same DAGs, same process:');
  if (floor?.dag) {
    const { steps, ucop, floor: least, timeRatio, cpuRatio, memoryRatio } = floor.dag;
    out.push(`  ${steps}-step layered DAG as JSON text (both read the same), validate + compile + run: ucop ${ms(ucop.totalMs)} (${ms(ucop.validateMs)} + ${ms(ucop.compileMs)} + ${ms(ucop.runMs)}), floor ${ms(least.totalMs)} = ${ratio(timeRatio)} (CPU time ${ratio(cpuRatio)})`);
    out.push(`  peak heap growth: ucop ${ucop.peakHeapMb.toFixed(0)} MB, floor ${least.peakHeapMb.toFixed(0)} MB = ${ratio(memoryRatio)}; first step after ${ms(ucop.firstStepMs)} (floor ${ms(least.firstStepMs)})`);
    const yaml = floor.dag.yamlText;
    if (yaml) {
      out.push(`  the same DAG as YAML text (${(yaml.bytes / 2 ** 20).toFixed(1)} MiB): validate ${ms(yaml.validateMs)} (CPU ${ms(yaml.validateCpuMs)}), peak heap ${yaml.validatePeakHeapMb.toFixed(0)} MB; with the compile and run above = CPU time ${ratio(yaml.cpuRatio)}, memory ${ratio(yaml.memoryRatio)}`);
    }
  }
  if (floor?.engine) {
    const e = floor.engine;
    out.push(`  engine alone, ${e.steps} no-op steps: ucop ${e.ucopUsPerStep.toFixed(2)} µs/step, floor ${e.floorUsPerStep.toFixed(2)} µs/step = ${ratio(e.ratio)} (CPU time ${ratio(e.cpuRatio)})`);
  }
  if (report.runStore && report.runStore.length > 0) {
    out.push('', 'product path (journal and run.json on disk, steps/ files as --step-files auto writes them) vs the engine alone, no-op steps:');
    for (const f of report.runStore) {
      out.push(`  ${f.steps} steps: ${f.storeUsPerStep.toFixed(2)} µs/step with the run store, ${f.engineUsPerStep.toFixed(2)} µs/step engine alone = ${f.ratio.toFixed(2)}x (CPU time ${f.cpuRatio.toFixed(2)}x)`);
      if (f.all) out.push(`  ${f.steps} steps, every steps/ file written during the run (--step-files all): ${f.all.usPerStep.toFixed(2)} µs/step = ${f.all.ratio.toFixed(2)}x`);
    }
  }
  const m = report.machine;
  out.push('', 'speedup = sequential / parallel; vs bound = parallel / lower bound; slack/step = sequential time beyond the simulated work, per task');
  out.push(`best of ${report.repeats} runs, durations x${report.scale}; ${m.cpuModel}, ${m.cpus} CPUs, ${m.memoryGb} GB, ${m.platform}, Node ${m.node}, load ${m.load1}`);
  return `${out.join('\n')}\n`;
}
