import { describe, it, expect } from 'vitest';
import { runBench } from './run-bench.ts';
import { formatBenchTable } from './format-bench-table.ts';
import type { BenchReport } from './run-bench.ts';

describe('runBench', () => {
  it('measures the chosen workloads in all three schedulings and prints a table', async () => {
    const seen: string[] = [];
    const report = await runBench({ workloads: ['ingestion', 'outline_sections'], repeats: 1, scale: 0.5, onWorkload: (m) => seen.push(m.workload) });
    expect(seen).toEqual(['ingestion', 'outline_sections']);
    const [ingestion] = report.workloads;
    expect(ingestion).toMatchObject({ workload: 'ingestion', maxParallel: 5, bounds: { tasks: 4, lowerBoundMs: 60, totalWorkMs: 125 } });
    // Three ingestion steps in parallel: clearly faster than one after the other.
    expect(ingestion!.speedup).toBeGreaterThan(1.2);
    expect(ingestion!.levelsMs).toBeGreaterThan(0);
    expect(report.engine).toBeUndefined();
    const table = formatBenchTable(report);
    expect(table.split('\n')[0]).toMatch(/^workload\s+tasks\s+slots\s+lower bound\s+parallel\s+sequential\s+speedup\s+vs bound\s+levels\s+levels vs bound\s+slack\/step$/);
    expect(table).toMatch(/^ingestion\s+4\s+5\s+60 ms\s+\d+ ms\s+\d+ ms\s+\d\.\d\dx\s+\d\.\d\dx/m);
  });

  it('compares a layered DAG with the floor when no workload is named, unless --scale-steps is 0', async () => {
    const report = await runBench({ repeats: 1, scale: 0.1, levels: false, randomDags: 0, noopSteps: 0, scaleSteps: 300 });
    expect(report.floor?.dag).toMatchObject({ steps: 300 });
    expect(report.floor?.dag?.timeRatio).toBeGreaterThan(0);
    // The YAML text of the same DAG is measured beside the JSON one.
    expect(report.floor?.dag?.yamlText?.validateCpuMs).toBeGreaterThan(0);
    expect(report.floor?.engine).toBeUndefined();
    const none = await runBench({ repeats: 1, scale: 0.1, levels: false, randomDags: 0, noopSteps: 0, scaleSteps: 0 });
    expect(none.floor).toBeUndefined();
  });

  it('refuses an unknown workload, listing the known ones', async () => {
    await expect(runBench({ workloads: ['nope'], repeats: 1 })).rejects.toThrow('unknown workload(s) nope: choose from ingestion, outline_sections, book_60, cross_deps_62');
  });
});

describe('formatBenchTable', () => {
  it('adds the engine benchmark and the machine', () => {
    const report: BenchReport = {
      startedAt: '',
      machine: { cpuModel: 'Test CPU', cpus: 2, memoryGb: 8, platform: 'linux-x64', node: '24.21.0', load1: 0.5 },
      repeats: 3,
      scale: 1,
      workloads: [],
      engine: {
        clock: 'real',
        scheduling: [
          { workload: 'layered_200_1', mode: 'critical-path', makespanMs: 1004, lowerBoundMs: 1000, ratio: 1.004 },
          { workload: 'layered_200_1', mode: 'levels', makespanMs: 1280, lowerBoundMs: 1000, ratio: 1.28 },
          { workload: 'layered_200_1', mode: 'sequential', makespanMs: 7800, lowerBoundMs: 1000, ratio: 7.8 },
        ],
        summary: { 'critical-path': 1.004, levels: 1.28, sequential: 7.8 },
        overhead: [{ engine: 'parallel', steps: 10000, wallMs: 85, usPerStep: 8.5 }],
      },
      runStore: [{ steps: 10000, engineMs: 85, storeMs: 170, engineUsPerStep: 8.5, storeUsPerStep: 17, ratio: 2, storeCpuUsPerStep: 16, engineCpuUsPerStep: 8.9, cpuRatio: 1.8, heapBytesPerStep: 900, all: { usPerStep: 200, ratio: 23.5 } }],
    };
    report.floor = {
      dag: {
        steps: 50000,
        ucop: { validateMs: 1500, validateCpuMs: 1400, compileMs: 200, runMs: 800, totalMs: 2500, cpuMs: 2400, peakHeapMb: 180, firstStepMs: 40 },
        floor: { compileMs: 150, runMs: 50, totalMs: 200, cpuMs: 240, peakHeapMb: 70, firstStepMs: 0.5 },
        timeRatio: 12.5,
        cpuRatio: 10,
        memoryRatio: 2.57,
        yamlText: { bytes: 4_626_150, validateMs: 4800, validateCpuMs: 4500, validatePeakHeapMb: 500, cpuRatio: 23.33, memoryRatio: 7.14 },
      },
      engine: { steps: 10000, ucopUsPerStep: 9.5, floorUsPerStep: 0.2, ratio: 47.5, cpuRatio: 40, ucopFirstStepMs: 20, floorFirstStepMs: 0.05 },
    };
    const text = formatBenchTable(report);
    expect(text).toContain('  50000-step layered DAG as JSON text (both read the same), validate + compile + run: ucop 2500 ms (1500 ms + 200 ms + 800 ms), floor 200 ms = 12.50x (CPU time 10.00x)');
    expect(text).toContain('  the same DAG as YAML text (4.4 MiB): validate 4800 ms (CPU 4500 ms), peak heap 500 MB; with the compile and run above = CPU time 23.33x, memory 7.14x');
    expect(text).toContain('  peak heap growth: ucop 180 MB, floor 70 MB = 2.57x; first step after 40 ms (floor 0.5 ms)');
    expect(text).toContain('  engine alone, 10000 no-op steps: ucop 9.50 µs/step, floor 0.20 µs/step = 47.50x (CPU time 40.00x)');
    expect(text).toMatch(/^ {2}layered_200_1 +1.004x +1.280x +7.800x$/m);
    expect(text).toContain('  parallel   10000 steps in 85.0 ms = 8.50 µs/step');
    expect(text).toContain('  10000 steps: 17.00 µs/step with the run store, 8.50 µs/step engine alone = 2.00x (CPU time 1.80x)');
    expect(text).toContain('  10000 steps, every steps/ file written during the run (--step-files all): 200.00 µs/step = 23.50x');
    expect(text).toContain('Test CPU, 2 CPUs, 8 GB, linux-x64, Node 24.21.0, load 0.5');
  });
});
