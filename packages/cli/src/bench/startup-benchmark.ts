/**
 * Start-up benchmark: how long `ucop` takes to answer, as a whole process, next to `node -e 0` on the same
 * machine in the same run. The commands run in turn (ucop, node, ucop, node, ...) so that both see the same
 * machine load; the figures are ratios, which hold on a shared machine where absolute times do not.
 *
 * CPU time is read from the kernel's accounting of waited-for children (`/proc/self/stat`, cutime + cstime)
 * where it exists, because it is what start-up work costs whatever else the machine is doing; wall time is
 * reported beside it (the median of the per-pair ratios).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** One command to time, against the baseline. */
export interface StartupCase {
  /** A short name for the report: `--version`, `validate`. */
  name: string;
  /** Arguments after the ucop binary. */
  args: readonly string[];
  /** The ratio to the baseline that the case must stay within (used by the performance suite). */
  target: number;
}

/** What one case measured. */
export interface StartupFigures {
  name: string;
  args: readonly string[];
  runs: number;
  /** Median wall time of one ucop start, ms. */
  wallMs: number;
  /** Median wall time of one `node -e 0`, ms. */
  baselineWallMs: number;
  /** Median of the per-pair wall ratios ucop / node. */
  wallRatio: number;
  /** CPU time of all ucop runs / all node runs (undefined where the kernel does not say). */
  cpuRatio: number | undefined;
  target: number;
}

export interface StartupBenchOptions {
  /** Node to run both commands with. @default process.execPath */
  node?: string;
  /** Path of bin/ucop.js. */
  binary: string;
  /** Directory the commands run in (paths in `args` are relative to it). */
  cwd: string;
  /** Counted pairs per case, after one warm-up pair. @default 10 */
  runs?: number;
  signal?: AbortSignal;
}

/** The cases the issue sets targets for: help and version within 3x of `node -e 0`, validate within 5x. */
export function standardStartupCases(workflow: string): StartupCase[] {
  return [
    { name: '--version', args: ['--version'], target: 3 },
    { name: '--help', args: ['--help'], target: 3 },
    { name: 'validate', args: ['validate', workflow], target: 5 },
  ];
}

/** CPU seconds of the children this process has waited for, or undefined off Linux. */
function childCpuTicks(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which is in parentheses and may hold spaces): cutime and cstime are
    // fields 16 and 17 of the whole line, i.e. 13 and 14 after the closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[13]) + Number(fields[14]);
  } catch {
    return undefined;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs one command to completion; returns its wall time in ms and the children's CPU ticks it added. */
function timed(command: string, args: readonly string[], cwd: string): { wallMs: number; ticks: number | undefined; status: number | null; stderr: string } {
  const before = childCpuTicks();
  const start = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' } });
  const wallMs = performance.now() - start;
  const after = childCpuTicks();
  return { wallMs, ticks: before === undefined || after === undefined ? undefined : after - before, status: result.status, stderr: result.stderr };
}

/**
 * Times each case against `node -e 0`, in pairs.
 * @throws Error when a ucop command fails (a benchmark of an error message would measure the wrong thing)
 */
export function runStartupBench(cases: readonly StartupCase[], options: StartupBenchOptions): StartupFigures[] {
  const node = options.node ?? process.execPath;
  const runs = options.runs ?? 10;
  const figures: StartupFigures[] = [];
  for (const startupCase of cases) {
    const ucopWall: number[] = [];
    const nodeWall: number[] = [];
    const ratios: number[] = [];
    let ucopTicks: number | undefined = 0;
    let nodeTicks: number | undefined = 0;
    for (let i = 0; i <= runs; i++) {
      options.signal?.throwIfAborted();
      const ucop = timed(node, [options.binary, ...startupCase.args], options.cwd);
      if (ucop.status !== 0) throw new Error(`ucop ${startupCase.args.join(' ')} exited ${ucop.status}: ${ucop.stderr.trim()}`);
      const baseline = timed(node, ['-e', '0'], options.cwd);
      if (i === 0) continue; // the warm-up pair fills the compile cache and the page cache
      ucopWall.push(ucop.wallMs);
      nodeWall.push(baseline.wallMs);
      ratios.push(ucop.wallMs / baseline.wallMs);
      ucopTicks = ucopTicks === undefined || ucop.ticks === undefined ? undefined : ucopTicks + ucop.ticks;
      nodeTicks = nodeTicks === undefined || baseline.ticks === undefined ? undefined : nodeTicks + baseline.ticks;
    }
    figures.push({
      name: startupCase.name,
      args: startupCase.args,
      runs,
      wallMs: median(ucopWall),
      baselineWallMs: median(nodeWall),
      wallRatio: median(ratios),
      cpuRatio: ucopTicks === undefined || !nodeTicks ? undefined : ucopTicks / nodeTicks,
      target: startupCase.target,
    });
  }
  return figures;
}

/** The figures as a table for the terminal. */
export function formatStartupTable(figures: readonly StartupFigures[]): string {
  const lines = ['start-up, whole process, paired with `node -e 0`:', '  command                     ucop     node -e 0   wall ratio   cpu ratio   target'];
  for (const f of figures) {
    const cpu = f.cpuRatio === undefined ? '     n/a' : `${f.cpuRatio.toFixed(2).padStart(7)}x`;
    lines.push(
      `  ${`ucop ${f.name}`.padEnd(24)} ${`${f.wallMs.toFixed(0)} ms`.padStart(8)} ${`${f.baselineWallMs.toFixed(0)} ms`.padStart(12)} ${`${f.wallRatio.toFixed(2)}x`.padStart(11)} ${cpu.padStart(11)}   ${`<= ${f.target}x`}`,
    );
  }
  lines.push(`  (median of ${figures[0]?.runs ?? 0} pairs after a warm-up; cpu = user + sys of all runs, from the kernel)`);
  return `${lines.join('\n')}\n`;
}
