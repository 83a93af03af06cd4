import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { didYouMean } from '../dsl/did-you-mean.ts';
import { UcopError } from '../errors/ucop-error.ts';
import { resolveInside } from '../files/resolve-inside.ts';
import { writeFileAtomic } from '../files/write-file-atomic.ts';
import { combineFingerprints } from '../run/fingerprint.ts';
import type { RunRecordFile } from '../run/run-record.ts';
import type { StepOutputFile } from '../run/step-output-file.ts';
import type { JournalRecord, StepFinishedRecord, UnitFinishedRecord } from './journal-record.ts';
import { readJournal } from './journal-reader.ts';
import { acquireRunLock } from './run-lock.ts';
import { JOURNAL_FILE } from './run-store.ts';
import { renderStepOutputFile, stepOutputFileOf } from './step-view.ts';
import { INLINE_VIEWS, StepViews } from './step-views.ts';

/** One unit's result as the journal holds it: what its `steps/` view holds (render it with renderStepOutputFile). */
export interface JournalOutput {
  /** The unit's id as `ucop outputs` takes it: `step`, or `step[index]` for a fan-out item. */
  id: string;
  file: StepOutputFile;
}

/** The key of a unit: its step id, and its item index for a fan-out item. */
function unitId(step: string, item: number | undefined): string {
  return item === undefined ? step : `${step}[${item}]`;
}

/**
 * Every unit whose latest journal record says it succeeded (a later failure or rerun replaces an earlier
 * success, as resume reads it), and every fan-out step that succeeded, with the gathered output its view
 * holds (the items' outputs in order). In the order they finished.
 */
export function journalOutputs(records: readonly JournalRecord[]): JournalOutput[] {
  const latest = new Map<string, UnitFinishedRecord | StepFinishedRecord>();
  for (const record of records) {
    if (record.t !== 'unit' && record.t !== 'step') continue;
    const id = record.t === 'unit' ? unitId(record.step, record.item) : record.step;
    // Deleted first, so that the map's order is the order of the latest records.
    latest.delete(id);
    latest.set(id, record);
  }
  const outputs: JournalOutput[] = [];
  for (const [id, record] of latest) {
    if (record.t === 'unit') {
      const file = stepOutputFileOf(record);
      if (file) outputs.push({ id, file });
      continue;
    }
    const gathered = gatheredOutput(record, latest);
    if (gathered !== undefined) outputs.push({ id, file: { stepId: record.step, fingerprint: record.fingerprint!, output: gathered, writes: [] } });
  }
  return outputs;
}

/**
 * A succeeded fan-out step's output, rebuilt from its items' records: undefined when the step did not
 * succeed, or when its items' fingerprints do not combine to its own (records of another run of the step).
 */
function gatheredOutput(record: StepFinishedRecord, latest: ReadonlyMap<string, UnitFinishedRecord | StepFinishedRecord>): unknown[] | undefined {
  if (record.status !== 'succeeded' || record.fingerprint === undefined || record.items === undefined) return undefined;
  const outputs: unknown[] = [];
  const fingerprints: string[] = [];
  for (let i = 0; i < record.items; i += 1) {
    const item = latest.get(unitId(record.step, i));
    if (item?.t !== 'unit' || item.status !== 'succeeded' || item.fingerprint === undefined) return undefined;
    outputs.push(item.output);
    fingerprints.push(item.fingerprint);
  }
  return combineFingerprints(record.step, fingerprints) === record.fingerprint ? outputs : undefined;
}

/**
 * The outputs the journal of a run directory holds (a torn last record is ignored, as resume ignores it).
 * @throws UcopError JOURNAL_NOT_FOUND when the directory has no journal (not a run directory, or a run from before the journal)
 */
export async function readRunOutputs(dir: string): Promise<JournalOutput[]> {
  const path = join(dir, JOURNAL_FILE);
  const found = await stat(path).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!found) {
    throw new UcopError('JOURNAL_NOT_FOUND', `${dir} has no run journal (${JOURNAL_FILE}): give the output directory of a run (ucop run -o <dir>)`, { fields: { dir, path } });
  }
  return journalOutputs((await readJournal(path)).records);
}

/**
 * The output of one unit, by id: `step`, `step[3]` or `step.3` (the stem of its `steps/` file).
 * @throws UcopError UNIT_NOT_FOUND naming the closest id when none matches
 */
export function findRunOutput(outputs: readonly JournalOutput[], id: string): JournalOutput {
  const wanted = /^(.*)\.(\d+)$/.exec(id);
  const key = wanted && !outputs.some((o) => o.id === id) ? `${wanted[1]}[${Number(wanted[2])}]` : id;
  const found = outputs.find((o) => o.id === key);
  if (found) return found;
  const close = didYouMean(id, outputs.map((o) => o.id));
  const hint = close === undefined ? (outputs.length === 0 ? '; the journal holds no succeeded unit' : '; `ucop outputs <dir>` lists them all') : `; did you mean \`${close}\`?`;
  throw new UcopError('UNIT_NOT_FOUND', `no succeeded unit "${id}" in the journal${hint}`, { fields: { unit: id, ...(close !== undefined ? { suggestion: close } : {}) } });
}

/**
 * Writes the `steps/` views of the given outputs, as a run in `all` mode writes them (same bytes), under the
 * directory's lock, with the view writer's bounded open files; every path is checked to stay inside the
 * directory. @returns how many files were written
 * @throws UcopError RUN_LOCKED when a run holds the directory; INTERNAL when a file cannot be written
 */
export async function writeRunOutputs(dir: string, outputs: readonly JournalOutput[]): Promise<number> {
  const lock = await acquireRunLock(dir);
  try {
    const rendered = outputs.map((output) => renderStepOutputFile(output.file));
    // Step ids come from the journal: a damaged or crafted one must not lead a write out of the directory.
    for (const view of rendered) resolveInside(dir, view.path);
    const views = new StepViews(dir, { startWorker: rendered.length > INLINE_VIEWS });
    for (const view of rendered) views.file(view.path, view.content);
    await views.close();
    await nameWrittenFilesInRecord(dir, outputs, rendered.map((view) => view.path));
    return outputs.length;
  } finally {
    await lock.release();
  }
}

/**
 * Makes `run.json` (when the directory has one) name the files just written, as if the run had written them:
 * each unit's `output` path, and `stepFiles` counting them as written rather than skipped. A record that
 * cannot be read is left as it is (the files are written; the journal stays the source of truth).
 */
async function nameWrittenFilesInRecord(dir: string, outputs: readonly JournalOutput[], paths: readonly string[]): Promise<void> {
  const path = join(dir, 'run.json');
  let record: RunRecordFile;
  try {
    record = JSON.parse(await readFile(path, 'utf8')) as RunRecordFile;
  } catch {
    return;
  }
  if (!Array.isArray(record.steps)) return;
  const written = new Map<string, string>();
  outputs.forEach((output, i) => written.set(unitId(output.file.stepId, output.file.itemIndex), paths[i]!));
  let named = 0;
  for (const step of record.steps) {
    const file = written.get(unitId(step.id, step.itemIndex));
    if (file === undefined || step.status !== 'succeeded' || step.output !== undefined) continue;
    step.output = file;
    named += 1;
  }
  if (named === 0) return;
  if (record.stepFiles) record.stepFiles = { ...record.stepFiles, written: record.stepFiles.written + named, skipped: Math.max(0, record.stepFiles.skipped - named) };
  // The same layout as the run's final record.
  await writeFileAtomic(path, JSON.stringify(record, null, 2) + '\n');
}
