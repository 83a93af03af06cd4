import { cp, rename } from 'node:fs/promises';
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
  /**
   * The same, noting every agent invocation (`step[item] attempt n`), and with `resume` into a finished run's
   * directory. When given, the check also holds each shipped workflow to exactly-once (no invocation twice in
   * either engine) and to resume (resuming a finished run invokes no agent and gives the same outputs).
   */
  runOfflineCounted?(file: string, engine: 'parallel' | 'sequential', outDir: string, resume: boolean, signal?: AbortSignal): Promise<{ record: RunRecord; invocations: string[] }>;
}

function duplicates(invocations: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const key of invocations) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${key} ran ${n} times`);
}

/**
 * Each shipped workflow, run offline in both engines into separate directories, gives identical results:
 * the same status and outputs, and byte-identical files (step outputs, artifacts, run.json without its
 * timing fields). With `runOfflineCounted`, each run invokes every agent once per step, item and attempt,
 * and resuming the finished parallel run invokes no agent.
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
      const once: string[] = [];
      try {
        const run = async (engine: 'parallel' | 'sequential'): Promise<RunRecord> => {
          if (!deps.runOfflineCounted) return deps.runOffline(file, engine, runDir, signal);
          const { record, invocations } = await deps.runOfflineCounted(file, engine, runDir, false, signal);
          once.push(...duplicates(invocations).map((d) => `${engine} engine: ${d}`));
          return record;
        };
        const p = await run('parallel');
        if (deps.runOfflineCounted && p.status === 'succeeded') {
          // Resumed in a copy, so that the run compared with the sequential one stays as it was.
          const resumeDir = join(dir, 'resumed');
          await cp(runDir, resumeDir, { recursive: true });
          const again = await deps.runOfflineCounted(file, 'parallel', resumeDir, true, signal);
          if (again.invocations.length > 0) problems.push(`${name}: resuming a finished run invoked ${again.invocations.length} agent(s): ${again.invocations.slice(0, 3).join(', ')}`);
          if (again.record.status !== 'succeeded' || JSON.stringify(again.record.outputs) !== JSON.stringify(p.outputs)) problems.push(`${name}: the resumed run ended ${again.record.status} with other outputs`);
        }
        await rename(runDir, parallelDir);
        const s = await run('sequential');
        await rename(runDir, sequentialDir);
        records = [p, s];
      } catch (error) {
        problems.push(`${name}: could not run offline: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      const [p, s] = records;
      const notOk = records.filter((r) => r.status !== 'succeeded').map((r) => `${r.engine} run ended ${r.status}${r.errors[0] ? ` (${r.errors[0].code} ${r.errors[0].message})` : ''}`);
      if (notOk.length > 0) problems.push(`${name}: ${notOk.join('; ')}`);
      if (once.length > 0) problems.push(`${name}: not exactly once: ${once.slice(0, 3).join('; ')}`);
      const differences = await diffRunDirs(parallelDir, sequentialDir, ['parallel', 'sequential']);
      if (JSON.stringify(p.outputs) !== JSON.stringify(s.outputs)) differences.unshift('the workflow outputs differ');
      if (differences.length > 0) problems.push(`${name}: the engines disagree: ${differences.slice(0, 5).join('; ')}${differences.length > 5 ? `; and ${differences.length - 5} more` : ''}`);
      details[name] = { steps: p.steps.length, parallelMs: Math.round(p.wallMs), sequentialMs: Math.round(s.wallMs), differences };
    });
  }
  if (problems.length > 0) return { name: 'parity', ok: false, reason: problems.join('; '), details };
  const also = deps.runOfflineCounted ? ', each agent invoked once, and a resumed run invokes none' : '';
  return { name: 'parity', ok: true, reason: `${deps.workflows.length} shipped workflow(s) give byte-identical results in both engines${also}: ${deps.workflows.map((f) => basename(f)).join(', ')}`, details };
}
