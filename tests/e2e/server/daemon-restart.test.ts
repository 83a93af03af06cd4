import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { api, invocations, makeProject, readRecord, startDaemonProcess, waitForAllFinal } from './daemon-process.ts';
import type { RunView } from './daemon-process.ts';

/**
 * Restarts of a real daemon process: after a SIGKILL with runs in flight every run finishes and each step
 * runs exactly once (finished steps are not rerun); after a SIGTERM the daemon drains, cancels past its
 * deadline, exits 0, and the run resumes at the next start. No run is left `running`.
 */
const projects: { cleanup(): void }[] = [];
afterAll(() => {
  for (const p of projects) p.cleanup();
});

function unitName(step: { id: string; itemIndex?: number }): string {
  return step.itemIndex === undefined ? step.id : `${step.id}[${step.itemIndex}]`;
}

describe('daemon restarts (real process)', () => {
  it('SIGKILL with runs in flight: after a restart every run finishes, finished steps are not rerun, each step completes once', async () => {
    const project = makeProject('ucop-e2e-daemon-kill-');
    projects.push(project);
    const firstLog = join(project.dir, 'first.log');
    const first = await startDaemonProcess(project, ['--max-concurrent', '3'], { DAEMON_AGENT_LOG: firstLog });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await api<{ run: RunView }>(first, 'POST', '/v1/runs', { workflow: 'slow' })).json.run.id);
    // Kill once some steps have finished and others are running.
    for (let waited = 0; waited < 30_000; waited += 20) {
      // Succeeded with its output file on disk (run.json and steps/ are views written after the journal).
      const done = ids.reduce((n, id) => n + (readRecord(project.dataDir, id)?.steps.filter((s) => s.status === 'succeeded' && s.output !== undefined && existsSync(join(project.dataDir, 'runs', id, s.output))).length ?? 0), 0);
      if (done >= 2) break;
      await sleep(20);
    }
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    // Units whose result made it to disk before the kill, by run: these must be reused, not rerun.
    const reusable = new Map<string, string[]>();
    for (const id of ids) {
      const record = readRecord(project.dataDir, id);
      const units = record?.steps.filter((s) => s.status === 'succeeded' && s.output !== undefined && existsSync(join(project.dataDir, 'runs', id, s.output))).map(unitName) ?? [];
      reusable.set(id, units);
    }
    const reusedCount = [...reusable.values()].reduce((n, u) => n + u.length, 0);
    expect(reusedCount).toBeGreaterThanOrEqual(2);
    expect(reusedCount).toBeLessThan(ids.length * 3);

    const secondLog = join(project.dir, 'second.log');
    const second = await startDaemonProcess(project, ['--max-concurrent', '3'], { DAEMON_AGENT_LOG: secondLog });
    try {
      const runs = await waitForAllFinal(second, ids.length);
      expect(runs.map((r) => r.state)).toEqual(ids.map(() => 'succeeded'));
      expect(runs.some((r) => r.crashes === 1)).toBe(true);
      const rerun = invocations(secondLog);
      for (const id of ids) {
        const after = rerun.filter((i) => i.runId === id).map((i) => i.unit);
        // Nothing finished was invoked again; everything else ran exactly once after the restart.
        for (const unit of reusable.get(id)!) expect(after, `${id} ${unit}`).not.toContain(unit);
        expect([...after, ...reusable.get(id)!].sort(), id).toEqual(['s1', 's2', 's3']);
        const record = readRecord(project.dataDir, id)!;
        expect(record.status).toBe('succeeded');
        for (const unit of reusable.get(id)!) expect(record.steps.find((s) => unitName(s) === unit)?.resumed, `${id} ${unit}`).toBe(true);
      }
      expect((await api<{ runs: RunView[] }>(second, 'GET', '/v1/runs?state=running')).json.runs).toEqual([]);
    } finally {
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
    }
  });

  it('SIGTERM: drains, cancels the long step past the deadline, exits 0; the run resumes at the next start without rerunning the short step', async () => {
    const project = makeProject('ucop-e2e-daemon-term-');
    projects.push(project);
    const firstLog = join(project.dir, 'first.log');
    const first = await startDaemonProcess(project, ['--drain-timeout', '1'], { DAEMON_AGENT_LOG: firstLog });
    const { run } = (await api<{ run: RunView }>(first, 'POST', '/v1/runs', { workflow: 'drain' })).json;
    for (let waited = 0; waited < 20_000 && !invocations(firstLog).some((i) => i.unit === 'long'); waited += 20) await sleep(20);
    expect(invocations(firstLog).map((i) => i.unit)).toEqual(['short', 'long']);
    first.child.kill('SIGTERM');
    const exited = await first.exited;
    expect(exited.code).toBe(0);
    // Past the drain deadline (1 s) the 30 s step was cancelled, not waited for; the run goes back to the queue.
    expect(exited.stderr).toMatch(/drain deadline passed: cancelling 1 run\(s\)/);
    expect(exited.stderr).toMatch(/1 run\(s\) will resume at the next start/);
    const atStop = readRecord(project.dataDir, run.id)!;
    expect(atStop.status).toBe('cancelled');
    expect(atStop.steps.find((s) => s.id === 'long')?.status).toBe('cancelled');

    const secondLog = join(project.dir, 'second.log');
    // The long step is quick this time (its inputs are the same, so the short step's result is reused).
    const second = await startDaemonProcess(project, [], { DAEMON_AGENT_LOG: secondLog, DAEMON_AGENT_SCALE: '0.005' });
    try {
      const [finished] = await waitForAllFinal(second, 1);
      expect(finished).toMatchObject({ id: run.id, state: 'succeeded', claims: 2, crashes: 0 });
      expect(invocations(secondLog).map((i) => i.unit)).toEqual(['long']);
      const record = readRecord(project.dataDir, run.id)!;
      expect(record.status).toBe('succeeded');
      expect(record.steps.find((s) => s.id === 'short')?.resumed).toBe(true);
    } finally {
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
    }
  });

  it('a run the daemon died under --max-crashes times goes to dead_letter and is not run again', async () => {
    const project = makeProject('ucop-e2e-daemon-dead-');
    projects.push(project);
    const firstLog = join(project.dir, 'first.log');
    const first = await startDaemonProcess(project, [], { DAEMON_AGENT_LOG: firstLog });
    const { run } = (await api<{ run: RunView }>(first, 'POST', '/v1/runs', { workflow: 'slow' })).json;
    for (let waited = 0; waited < 20_000 && invocations(firstLog).length === 0; waited += 20) await sleep(20);
    first.child.kill('SIGKILL');
    await first.exited;

    const secondLog = join(project.dir, 'second.log');
    const second = await startDaemonProcess(project, ['--max-crashes', '1'], { DAEMON_AGENT_LOG: secondLog });
    try {
      const [dead] = await waitForAllFinal(second, 1);
      expect(dead).toMatchObject({ id: run.id, state: 'dead_letter', crashes: 1 });
      expect(second.stderr()).toMatch(/moved to dead_letter after repeated crashes/);
      await sleep(300);
      expect(invocations(secondLog)).toEqual([]);
    } finally {
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
    }
  });
});
