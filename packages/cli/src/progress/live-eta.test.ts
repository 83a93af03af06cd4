/**
 * The live display on a simulated run (fake clock, fake terminal): uneven fan-out items under a concurrency
 * limit, with estimates that are off. The ETA must track the real remaining time; the frame must show the
 * unit counts and `chapter n/12`; after an interrupt the last frame says so and does not claim 100%.
 */
import { describe, expect, it } from 'vitest';
import { AgentRegistry, FakeClock, compileWorkflow, createSimDelayAgent, runWorkflow, validateWorkflowSource } from '@ucop/core';
import type { AgentDefinition, CompiledPlan, RunEvent } from '@ucop/core';
import { CapturedStream } from '../cli-io.ts';
import { etaPlanOf } from './eta-plan.ts';
import { createProgressReporter } from './progress-reporter.ts';
import { ProgressTracker } from './progress-tracker.ts';

// Uneven chapters (210-480 ms, mean 327) estimated at 250 ms: the ETA has to learn their pace.
const CHAPTERS = [320, 210, 450, 280, 390, 240, 480, 300, 260, 410, 350, 230];
const WORKFLOW = `version: 1
name: eta_sim
config:
  max_parallel: 4
  concurrency: { llm: { limit: 2 } }
steps:
  outline: { agent: sim.delay, with: { ms: 300 }, estimate: 200ms }
  chapter:
    agent: sim.delay
    needs: [outline]
    for_each: [${CHAPTERS.join(', ')}]
    concurrency: llm
    with: { ms: '\${{ item }}' }
    estimate: 250ms
  index: { agent: sim.delay, needs: [outline], with: { ms: 900 }, estimate: 600ms }
  assemble: { agent: sim.delay, needs: [chapter, index], with: { ms: 200 }, estimate: 200ms }
`;

function setup(): { clock: FakeClock; plan: CompiledPlan; agents: AgentRegistry } {
  const clock = new FakeClock();
  const agents = new AgentRegistry([createSimDelayAgent(undefined, { clock }) as unknown as AgentDefinition]);
  const outcome = validateWorkflowSource(WORKFLOW, 'eta.yaml', { agents });
  expect(outcome.diagnostics).toEqual([]);
  return { clock, plan: compileWorkflow(outcome.workflow!, { agents }), agents };
}

describe('live progress on a simulated run', () => {
  it('keeps the ETA within 20% of the real remaining time, and shows counts and chapter n/12', async () => {
    const { clock, plan, agents } = setup();
    expect(plan.steps['chapter']!.expectedItems).toBe(12);
    const tracker = new ProgressTracker({ workflow: plan.workflow, steps: plan.order, plan: etaPlanOf(plan, 4) });
    const stream = new CapturedStream({ isTTY: true, columns: 160 });
    const reporter = createProgressReporter({ mode: 'live', stream, workflow: plan.workflow, steps: plan.order, plan: etaPlanOf(plan, 4), now: () => clock.now(), refreshMs: 1e9, minFrameMs: 0 });
    const onEvent = (event: RunEvent): void => {
      tracker.apply(event);
      reporter.onEvent(event);
    };
    // What the display would show every 50 ms of the run.
    const samples: { at: number; eta: number }[] = [];
    let finished = false;
    void (async () => {
      while (!finished) {
        await clock.sleep(50);
        const eta = tracker.snapshot(clock.now()).eta;
        if (eta) samples.push({ at: clock.now(), eta: eta.remainingMs });
      }
    })();
    const { record } = await clock.runUntil(runWorkflow(plan, { inputs: {}, agents, clock, onEvent }));
    finished = true;
    reporter.close();
    expect(record.status).toBe('succeeded');
    const wall = record.wallMs;
    // From 30% of the run (a few chapters have shown their pace) to 75% (after that the remaining time is so
    // short that one item's length moves the ratio more than any estimate can know).
    const checked = samples.filter((s) => s.at >= 0.3 * wall && s.at <= 0.75 * wall);
    expect(checked.length).toBeGreaterThanOrEqual(15);
    for (const s of checked) {
      const real = wall - s.at;
      expect(Math.abs(s.eta - real) / real, `at ${s.at} ms: ETA ${Math.round(s.eta)} ms, really ${real} ms`).toBeLessThanOrEqual(0.2);
    }
    const text = stream.text();
    expect(text).toMatch(/chapter 5\/12/);
    expect(text).toMatch(/✓ \d+ \| ⟳ 2 \| ✗ 0/);
    expect(text).toMatch(/waiting on the llm concurrency limit for/);
    expect(text).toContain('100.0%');
  });

  it('after an interrupt, the last frame says cancelled, keeps the share reached and gives no ETA', async () => {
    const { clock, plan, agents } = setup();
    const stream = new CapturedStream({ isTTY: true, columns: 160 });
    const reporter = createProgressReporter({ mode: 'live', stream, workflow: plan.workflow, steps: plan.order, plan: etaPlanOf(plan, 4), now: () => clock.now(), refreshMs: 1e9, minFrameMs: 0 });
    const controller = new AbortController();
    // What SIGINT does in the CLI: io.signal aborts (main.ts), the run stops and records `cancelled`.
    void clock.sleep(1200).then(() => controller.abort(new Error('SIGINT')));
    const { record } = await clock.runUntil(runWorkflow(plan, { inputs: {}, agents, clock, signal: controller.signal, onEvent: (e) => reporter.onEvent(e) }));
    reporter.close();
    expect(record.status).toBe('cancelled');
    const frames = stream.text();
    const last = frames.slice(frames.lastIndexOf('eta_sim'));
    expect(last).toMatch(/^eta_sim cancelled \[[█░]+\]\s+\d+\.\d% \| ✓ \d+ \| ⟳ 0 \| ✗ 0( \| skipped \d+)? \| Elapsed: 00:00:01 \| ETA: -/);
    expect(last).not.toContain('100.0%');
    const percent = Number(/(\d+\.\d)%/.exec(last)![1]);
    expect(percent).toBeGreaterThan(10);
    expect(percent).toBeLessThan(90);
  });
});
