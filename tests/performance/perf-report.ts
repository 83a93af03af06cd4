import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { machineInfo, type MachineInfo } from '../../packages/cli/src/bench/machine-info.ts';

/**
 * The performance suites' report: `reports/perf/<date>.json`, one file per day, merged case by case so that
 * every suite of a run adds its figures to the same file. The latest figures of a case are under `cases`;
 * earlier ones of the same day stay under `history`, so that the spread of several runs can be read back.
 */

/** Where reports go. @default <repo>/reports/perf, or UCOP_PERF_REPORT_DIR */
export const PERF_REPORT_DIR = process.env['UCOP_PERF_REPORT_DIR'] ?? resolve(import.meta.dirname, '..', '..', 'reports', 'perf');

/** The figures of one case: numbers for tracking, anything else for context. */
export type CaseFigures = Record<string, unknown>;

export interface PerfReport {
  date: string;
  updatedAt: string;
  machine: MachineInfo;
  /** Latest figures per case. */
  cases: Record<string, CaseFigures & { at: string }>;
  /** Earlier figures of the same day per case, oldest first (at most {@link HISTORY_LIMIT}). */
  history: Record<string, (CaseFigures & { at: string })[]>;
}

const HISTORY_LIMIT = 50;

export function reportPath(date: Date = new Date(), dir: string = PERF_REPORT_DIR): string {
  return join(dir, `${date.toISOString().slice(0, 10)}.json`);
}

async function readReport(file: string): Promise<PerfReport | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as PerfReport;
  } catch {
    return undefined;
  }
}

// Calls of one process are chained: a suite may record several cases without awaiting each (the start-up
// suite does), and two read-modify-writes at once would lose one case and race on the temporary file.
let pending: Promise<unknown> = Promise.resolve();

/**
 * Adds the figures of one case to today's report. The suites run one file at a time (fileParallelism is off
 * in the performance project) and calls within a process are chained, so a read-modify-write is safe; the
 * write itself is atomic.
 */
export function recordPerfCase(name: string, figures: CaseFigures, dir: string = PERF_REPORT_DIR): Promise<string> {
  const next = pending.then(() => writePerfCase(name, figures, dir));
  pending = next.catch(() => undefined);
  return next;
}

async function writePerfCase(name: string, figures: CaseFigures, dir: string): Promise<string> {
  const now = new Date();
  const file = reportPath(now, dir);
  const report: PerfReport = (await readReport(file)) ?? { date: now.toISOString().slice(0, 10), updatedAt: '', machine: machineInfo(), cases: {}, history: {} };
  const previous = report.cases[name];
  if (previous) report.history[name] = [...(report.history[name] ?? []), previous].slice(-HISTORY_LIMIT);
  report.cases[name] = { ...figures, at: now.toISOString() };
  report.updatedAt = now.toISOString();
  report.machine = machineInfo();
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(report, null, 2)}\n`);
  await rename(temp, file);
  return file;
}
