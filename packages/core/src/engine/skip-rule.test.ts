import { describe, it, expect } from 'vitest';
import { parseExpression, parseTemplate } from '../expr/index.ts';
import { buildPlan } from './testing/plan-builder.ts';
import { createSimHarness } from './testing/sim-harness.ts';
import { blockingReason, statusReferences } from './skip-rule.ts';
import type { StepStatus } from './run-events.ts';

const e = parseExpression;

describe('blockingReason', () => {
  it('says how to run anyway after a failed, timed-out or skipped dependency, not after a cancelled one', () => {
    const step = buildPlan({ steps: { dep: { with: { ms: 1 } }, step: { needs: ['dep'], with: { ms: 1 } } } }).steps.step!;
    const reason = (status: StepStatus) => blockingReason(step, () => ({ status, continued: false }), new Set());
    expect(reason('failed')).toBe('dependency "dep" failed (read steps.dep.status in if: to run anyway)');
    expect(reason('timed_out')).toBe('dependency "dep" timed out (read steps.dep.status in if: to run anyway)');
    expect(reason('skipped')).toBe('dependency "dep" was skipped (read steps.dep.status in if: to run anyway)');
    expect(reason('cancelled')).toBe('dependency "dep" was cancelled');
    expect(reason('succeeded')).toBeUndefined();
  });
});

describe('statusReferences', () => {
  it('finds the steps whose status an expression reads, and only those', () => {
    expect([...statusReferences(e("steps.a.status == 'failed' || steps.b.output.ok && !steps.c.status"))].sort()).toEqual(['a', 'c']);
    expect([...statusReferences(e('steps.a.output.status'))]).toEqual([]);
  });
});

describe('skip rule and conditions', () => {
  it('skips a step whose dependency failed, transitively, with the reason in the record', async () => {
    const plan = buildPlan({
      steps: {
        bad: { with: { ms: 1, fail_attempts: 1, retryable: false } },
        child: { needs: ['bad'], with: { ms: 1 } },
        grandchild: { needs: ['child'], with: { ms: 1 } },
        independent: { with: { ms: 5 } },
      },
    });
    const h = createSimHarness();
    const { record } = await h.run(plan);
    const by = (id: string) => record.steps.find((s) => s.id === id)!;
    expect(by('child')).toMatchObject({ status: 'skipped', reason: 'dependency "bad" failed (read steps.bad.status in if: to run anyway)' });
    expect(by('grandchild')).toMatchObject({ status: 'skipped', reason: 'dependency "child" was skipped (read steps.child.status in if: to run anyway)' });
    expect(by('independent').status).toBe('succeeded');
    expect(h.recorder.count('child')).toBe(0);
    expect(record.status).toBe('failed');
    expect(h.events.filter((ev) => ev.type === 'step.skipped').map((ev) => (ev as { stepId: string }).stepId)).toEqual(['child', 'grandchild']);
  });

  it("lets a condition that reads the failed dependency's status decide", async () => {
    const plan = buildPlan({
      steps: {
        bad: { with: { ms: 1, fail_attempts: 1, retryable: false } },
        recover: { condition: e("steps.bad.status == 'failed'"), with: { ms: 1, output: 'recovered' } },
        notRecover: { condition: e("steps.bad.status == 'succeeded'"), with: { ms: 1 } },
      },
    });
    const h = createSimHarness();
    const { record } = await h.run(plan);
    const by = (id: string) => record.steps.find((s) => s.id === id)!;
    expect(by('recover').status).toBe('succeeded');
    expect(by('notRecover')).toMatchObject({ status: 'skipped', reason: "condition `<test>` was false" });
    // The failure itself still fails the run (it has no continue_on_error).
    expect(record.status).toBe('failed');
  });

  it('still skips when the condition reads the status of a different dependency than the one that failed', async () => {
    const plan = buildPlan({
      steps: {
        bad: { with: { ms: 1, fail_attempts: 1, retryable: false } },
        good: { with: { ms: 1 } },
        step: { needs: ['bad'], condition: e("steps.good.status == 'succeeded'"), with: { ms: 1 } },
      },
    });
    const { record } = await createSimHarness().run(plan);
    expect(record.steps.find((s) => s.id === 'step')).toMatchObject({ status: 'skipped', reason: 'dependency "bad" failed (read steps.bad.status in if: to run anyway)' });
  });

  it('continue_on_error: the failure does not fail the run, dependents run and see the failed status', async () => {
    const plan = buildPlan({
      steps: {
        flaky: { with: { ms: 1, fail_attempts: 1, retryable: false }, continueOnError: true },
        next: { with: parseTemplate({ ms: 1, output: '${{ steps.flaky.status }}' }) },
      },
      outputs: { seen: parseTemplate('${{ steps.next.output }}') },
    });
    const h = createSimHarness();
    const { record, outputs } = await h.run(plan);
    expect(record.status).toBe('succeeded');
    expect(record.errors).toEqual([]);
    expect(record.steps.find((s) => s.id === 'flaky')!.status).toBe('failed');
    expect(outputs.seen).toBe('failed');
    const failed = h.events.find((ev) => ev.type === 'step.failed');
    expect(failed).toMatchObject({ stepId: 'flaky', continued: true });
  });

  it('a false condition skips the step and its dependents', async () => {
    const plan = buildPlan({
      inputs: { go: { type: 'boolean', default: false } },
      steps: {
        maybe: { condition: e('inputs.go'), with: { ms: 1 } },
        after: { needs: ['maybe'], with: { ms: 1 } },
      },
    });
    const h = createSimHarness();
    const skipped = await h.run(plan);
    expect(skipped.record.steps.map((s) => s.status)).toEqual(['skipped', 'skipped']);
    expect(skipped.record.status).toBe('succeeded');
    const ran = await createSimHarness().run(plan, { inputs: { go: true } });
    expect(ran.record.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('fails the step with EXPRESSION_EVAL when its condition cannot be evaluated', async () => {
    const plan = buildPlan({ steps: { s: { condition: e('1 / 0'), with: { ms: 1 } } } });
    const { record } = await createSimHarness().run(plan);
    expect(record.steps[0]).toMatchObject({ status: 'failed', error: { code: 'EXPRESSION_EVAL' } });
  });
});
