import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { resolveInside } from '../files/resolve-inside.ts';
import type { AlteredUnit, EarlierResult, ResumeIndex } from '../run/resume.ts';
import { isStepOutputFile } from '../run/step-output-file.ts';
import type { JournalRecord, UnitFinishedRecord } from './journal-record.ts';
import { renderStepView } from './step-view.ts';

/** Files checked at once: bounds the open files whatever the number of units. */
const CHECK_BATCH = 32;

function unitKey(stepId: string, itemIndex: number | undefined): string {
  return itemIndex === undefined ? stepId : `${stepId}\u0000${itemIndex}`;
}

/** The last word of the journal on each unit: its latest `unit` record, when that says succeeded. */
function latestSuccesses(records: readonly JournalRecord[]): Map<string, UnitFinishedRecord> {
  const latest = new Map<string, UnitFinishedRecord>();
  for (const record of records) {
    if (record.t !== 'unit') continue;
    const key = unitKey(record.step, record.item);
    if (record.status === 'succeeded' && record.fingerprint !== undefined) latest.set(key, record);
    else latest.delete(key);
  }
  return latest;
}

async function readOrUndefined(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

type Check = { kind: 'intact'; rewriteView: boolean } | { kind: 'altered'; what: string };

/**
 * Compares a journaled success with the files on disk. Its `steps/` view is intact when its bytes are
 * exactly what the record renders to; missing (never a reason to rerun: a run may write no views), cut
 * short (a prefix of it), or naming another fingerprint (an older result), it was simply not written yet and
 * is written again if the run writes views. Any other difference is an edit: the unit reruns. So does a
 * unit any of whose artifacts is gone or has another hash.
 */
async function check(dir: string, record: UnitFinishedRecord, viewFiles: ReadonlySet<string>): Promise<Check> {
  const view = renderStepView(record)!;
  // A run that wrote no views (a large one, see the step files setting) is checked without opening a file per unit.
  const onDisk = viewFiles.has(view.path) ? await readOrUndefined(resolveInside(dir, view.path)) : undefined;
  let rewriteView = false;
  const text = onDisk?.toString('utf8');
  if (text === undefined || (text.length < view.content.length && view.content.startsWith(text))) {
    // Missing, or cut short by a kill while it was being written: the journal has it, write it again.
    rewriteView = true;
  } else if (text !== view.content) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { kind: 'altered', what: `${view.path} was changed` };
    }
    // The view of an older result of the unit, not yet overwritten by this one's.
    if (isStepOutputFile(parsed) && parsed.fingerprint !== record.fingerprint) rewriteView = true;
    else return { kind: 'altered', what: `${view.path} was changed` };
  }
  for (const artifact of record.artifacts ?? []) {
    const content = await readOrUndefined(resolveInside(dir, artifact.path));
    if (content === undefined) return { kind: 'altered', what: `${artifact.path} is gone` };
    if (createHash('sha256').update(content).digest('hex') !== artifact.sha256) return { kind: 'altered', what: `${artifact.path} was changed` };
  }
  return { kind: 'intact', rewriteView };
}

/** The files under `steps/`, as paths relative to the run directory (none when it is missing). */
async function listViewFiles(dir: string): Promise<Set<string>> {
  try {
    return new Set((await readdir(resolveInside(dir, 'steps'))).map((name) => `steps/${name}`));
  } catch {
    return new Set();
  }
}

/**
 * The resume index of a run directory from its journal: every unit whose success reached the journal is
 * reusable (under the same fingerprint), unless its view or artifacts were altered on disk since; those are
 * listed in `altered` so that the run reruns them and everything downstream of them.
 */
export async function buildResumeIndex(dir: string, records: readonly JournalRecord[]): Promise<ResumeIndex> {
  const candidates = [...latestSuccesses(records).values()];
  const found = new Map<string, EarlierResult>();
  const altered: AlteredUnit[] = [];
  const viewFiles = candidates.length > 0 ? await listViewFiles(dir) : new Set<string>();
  for (let i = 0; i < candidates.length; i += CHECK_BATCH) {
    const batch = candidates.slice(i, i + CHECK_BATCH);
    const checks = await Promise.all(batch.map((record) => check(dir, record, viewFiles)));
    checks.forEach((result, j) => {
      const record = batch[j]!;
      if (result.kind === 'altered') {
        altered.push({ stepId: record.step, itemIndex: record.item, what: result.what });
        return;
      }
      found.set(unitKey(record.step, record.item), {
        fingerprint: record.fingerprint!,
        output: record.output,
        writes: record.writes ?? [],
        ...(record.artifacts ? { artifacts: record.artifacts } : {}),
        rewriteView: result.rewriteView,
      });
    });
  }
  return {
    size: found.size,
    altered,
    find(stepId, itemIndex, fingerprint) {
      const result = found.get(unitKey(stepId, itemIndex));
      return result && result.fingerprint === fingerprint ? result : undefined;
    },
  };
}
