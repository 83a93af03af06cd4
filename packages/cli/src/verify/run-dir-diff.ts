import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { JOURNAL_FILE } from '@ucop/core';

/**
 * Byte-for-byte comparison of two run directories, for the parity check. `run.json` is compared after
 * dropping the fields that legitimately differ between two runs (ids, clock readings, the engine's name,
 * metrics derived from timings); every other file must be identical.
 */

/** Files that are about one particular run, not about its result (the journal holds its id and its order of events). */
const IGNORED_FILES = new Set(['trace.json', JOURNAL_FILE]);

/** run.json fields that vary from run to run, or between engines by design (the sequential engine records max_parallel 1). */
const RUN_TIMING_FIELDS = ['runId', 'startedAt', 'wallMs', 'engine', 'maxParallel', 'metrics'] as const;
const STEP_TIMING_FIELDS = ['startMs', 'endMs', 'queueWaitMs'] as const;

async function listFiles(root: string, dir: string = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(root, full)));
    else if (entry.isFile()) out.push(relative(root, full).split(sep).join('/'));
  }
  return out.sort();
}

/** run.json without its timing fields, steps in a stable order. */
function normalizedRecord(text: string): Record<string, unknown> {
  const record = JSON.parse(text) as Record<string, unknown>;
  for (const field of RUN_TIMING_FIELDS) delete record[field];
  const steps = Array.isArray(record.steps) ? (record.steps as Record<string, unknown>[]) : [];
  for (const step of steps) for (const field of STEP_TIMING_FIELDS) delete step[field];
  steps.sort((a, b) => String(a.id).localeCompare(String(b.id)) || Number(a.itemIndex ?? -1) - Number(b.itemIndex ?? -1));
  return record;
}

/** run.json without its timing fields, steps in a stable order, as canonical text. */
export function normalizeRunRecord(text: string): string {
  return JSON.stringify(normalizedRecord(text), null, 2);
}

/** Paths at which two JSON values differ, e.g. `steps[3].attempts: 1 vs 2`; at most `limit`. */
export function jsonDifferences(a: unknown, b: unknown, path = '', limit = 5, out: string[] = []): string[] {
  if (out.length >= limit) return out;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a) ? [...Array(Math.max(a.length, (b as unknown[]).length)).keys()].map(String) : [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      const sub = Array.isArray(a) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
      jsonDifferences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], sub, limit, out);
    }
    return out;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path || '(root)'}: ${short(a)} vs ${short(b)}`);
  return out;
}

function short(value: unknown): string {
  const text = value === undefined ? 'absent' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The differences between two run directories, one line each; empty when they match. */
export async function diffRunDirs(a: string, b: string, labels: [string, string] = ['a', 'b']): Promise<string[]> {
  const [filesA, filesB] = await Promise.all([listFiles(a), listFiles(b)]);
  const setB = new Set(filesB);
  const setA = new Set(filesA);
  const differences: string[] = [];
  for (const f of filesA) if (!setB.has(f) && !IGNORED_FILES.has(f)) differences.push(`${f} only in the ${labels[0]} run`);
  for (const f of filesB) if (!setA.has(f) && !IGNORED_FILES.has(f)) differences.push(`${f} only in the ${labels[1]} run`);
  for (const f of filesA) {
    if (!setB.has(f) || IGNORED_FILES.has(f)) continue;
    const [bytesA, bytesB] = await Promise.all([readFile(join(a, f)), readFile(join(b, f))]);
    if (f === 'run.json') {
      const [ra, rb] = [normalizedRecord(bytesA.toString('utf8')), normalizedRecord(bytesB.toString('utf8'))];
      const found = jsonDifferences(ra, rb);
      if (found.length > 0) differences.push(`run.json differs beyond its timing fields (${found.join('; ')})`);
    } else if (!bytesA.equals(bytesB)) {
      differences.push(`${f} differs (${bytesA.length} vs ${bytesB.length} bytes)`);
    }
  }
  return differences;
}
