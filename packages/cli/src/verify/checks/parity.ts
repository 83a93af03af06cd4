import { rename } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RunRecord } from '@ucop/core';
import type { CheckResult } from '../verify-types.ts';
import { diffRunDirs } from '../run-dir-diff.ts';
import { withTempDir } from '../temp-dir.ts';

/** What the parity check needs: the shipped workflows and a way to run one offline. */
export interface ParityCheckDeps {
  /** Absolute paths of the shipped workflows. */
  workflows: readonly string[];
  /** Runs `file` offline (no network: the offline provider) in `engine`, writing into `outDir`. */
  runOffline(file: string, engine: 'parallel' | 'sequential', outDir: string, signal?: AbortSignal): Promise<RunRecord>;
}

/**
 * Each shipped workflow, run offline in both engines into separate directories, gives identical results:
 * the same status and outputs, and byte-identical files (step outputs, artifacts, run.json without its
 * timing fields).
 */
export async function checkParity(deps: ParityCheckDeps, signal?: AbortSignal): Promise<CheckResult> {
  if (deps.workflows.length === 0) return { name: 'parity', ok: false, reason: 'no shipped workflows found (workflows/*.yaml): the installation is incomplete' };
  const problems: string[] = [];
  const details: Record<string, unknown> = {};
  for (const file of deps.workflows) {
    const name = basename(file);
    await withTempDir('verify-parity', async (dir) => {
      // Both runs write into the same path (moved aside in between): outputs may name the run directory.
      const runDir = join(dir, 'run');
      const parallelDir = join(dir, 'parallel');
      const sequentialDir = join(dir, 'sequential');
      let records: [RunRecord, RunRecord];
      try {
        const p = await deps.runOffline(file, 'parallel', runDir, signal);
        await rename(runDir, parallelDir);
        const s = await deps.runOffline(file, 'sequential', runDir, signal);
        await rename(runDir, sequentialDir);
        records = [p, s];
      } catch (error) {
        problems.push(`${name}: could not run offline: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      const [p, s] = records;
      const notOk = records.filter((r) => r.status !== 'succeeded').map((r) => `${r.engine} run ended ${r.status}${r.errors[0] ? ` (${r.errors[0].code} ${r.errors[0].message})` : ''}`);
      if (notOk.length > 0) problems.push(`${name}: ${notOk.join('; ')}`);
      const differences = await diffRunDirs(parallelDir, sequentialDir, ['parallel', 'sequential']);
      if (JSON.stringify(p.outputs) !== JSON.stringify(s.outputs)) differences.unshift('the workflow outputs differ');
      if (differences.length > 0) problems.push(`${name}: the engines disagree: ${differences.slice(0, 5).join('; ')}${differences.length > 5 ? `; and ${differences.length - 5} more` : ''}`);
      details[name] = { steps: p.steps.length, parallelMs: Math.round(p.wallMs), sequentialMs: Math.round(s.wallMs), differences };
    });
  }
  if (problems.length > 0) return { name: 'parity', ok: false, reason: problems.join('; '), details };
  return { name: 'parity', ok: true, reason: `${deps.workflows.length} shipped workflow(s) give byte-identical results in both engines: ${deps.workflows.map((f) => basename(f)).join(', ')}`, details };
}
