import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UcopError } from '@ucop/core';
import type { RunRecordFile } from '@ucop/core';
import { loadReportAssets } from './report-assets.ts';
import { renderReportHtml } from './report-html.ts';
import { buildReportModel } from './report-model.ts';

/** Reads `<runDir>/run.json`; a missing or unreadable record is a usage error naming the file. */
export async function readRunRecord(runDir: string, shown: string = runDir): Promise<RunRecordFile> {
  const path = join(runDir, 'run.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UcopError('USAGE', `${shown} has no run.json: give the output directory of a run (its -o)`, { fields: { path } });
  }
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (error) {
    throw new UcopError('USAGE', `${join(shown, 'run.json')} is not JSON (${(error as Error).message}): is it a ucop run record?`, { fields: { path } });
  }
  const r = record as Partial<RunRecordFile> | null;
  if (r === null || typeof r !== 'object' || r.schemaVersion !== 1 || !Array.isArray(r.steps) || typeof r.metrics !== 'object') {
    throw new UcopError('USAGE', `${join(shown, 'run.json')} is not a ucop run record (schemaVersion 1 with steps and metrics)`, { fields: { path } });
  }
  return r as RunRecordFile;
}

/** The report's HTML for a run record. */
export async function renderRunReport(record: RunRecordFile): Promise<string> {
  return renderReportHtml(buildReportModel(record), await loadReportAssets());
}

/** Writes the report of the run in `runDir` to `file` (default `<runDir>/report.html`); returns the path written. */
export async function writeRunReport(runDir: string, file?: string, shown?: string): Promise<string> {
  const record = await readRunRecord(runDir, shown);
  const target = file ?? join(runDir, 'report.html');
  await writeFile(target, await renderRunReport(record));
  return target;
}
