import { describe, expect, it } from 'vitest';
import { UcopError } from '../errors/ucop-error.ts';
import { RunStop, type StopKind } from './run-stop.ts';

function setup() {
  const stops: [StopKind, string][] = [];
  const stop = new RunStop((kind, attemptError) => stops.push([kind, attemptError.code]));
  return { stop, stops };
}

describe('RunStop', () => {
  it('counts only the first stop, aborts its signal with the attempts error and gathers the error', () => {
    const { stop, stops } = setup();
    stop.stop('deadline', new UcopError('RUN_TIMEOUT', 'late'));
    stop.stop('guard', new UcopError('GUARD_MAX_STEPS', 'too many'));
    expect(stops).toEqual([['deadline', 'RUN_TIMEOUT']]);
    expect(stop.signal.aborted).toBe(true);
    expect(stop.outcome()).toMatchObject({ kind: 'timed_out', error: { code: 'RUN_TIMEOUT' } });
    expect(stop.errors.map((e) => e.code)).toEqual(['RUN_TIMEOUT']);
    expect(stop.why).toBe('the run timed out');
  });

  it('says why the run stopped, for the steps it kept from starting', () => {
    const why = (act: (stop: RunStop) => void): string => {
      const { stop } = setup();
      act(stop);
      return stop.why;
    };
    expect(why((s) => s.stop('deadline', new UcopError('RUN_TIMEOUT', 'late', { fields: { timeoutMs: 1_800_000 } })))).toBe('the run timed out after 30m');
    expect(why((s) => s.stop('cancel', new UcopError('RUN_CANCELLED', 'interrupted')))).toBe('the run was cancelled');
    expect(why((s) => s.stop('guard', new UcopError('GUARD_MAX_STEPS', 'more than 5 steps; raise config.max_steps')))).toBe('the run stopped: more than 5 steps; raise config.max_steps');
    expect(why((s) => s.failed(new UcopError('AGENT_ERROR', 'boom'), false, () => new UcopError('STEP_CANCELLED', 'x'), { stepId: 'bad', itemIndex: 2 }))).toBe('the run stopped because step "bad" item 2 failed (fail_fast)');
  });

  it('fail-fast: gathers the failure once, stops with the cancel error, ignores failures the stop caused', () => {
    const { stop, stops } = setup();
    stop.failed(new UcopError('AGENT_ERROR', 'ignored: continue_on_error'), true, () => new UcopError('STEP_CANCELLED', 'x'));
    expect(stop.stopped).toBe(false);
    stop.failed(new UcopError('AGENT_ERROR', 'boom'), false, () => new UcopError('STEP_CANCELLED', 'because boom'));
    stop.failed(new UcopError('STEP_CANCELLED', 'a sibling the stop cancelled'), false, undefined);
    stop.failed(new UcopError('AGENT_ERROR', 'another real failure'), false, undefined);
    expect(stops).toEqual([['failfast', 'STEP_CANCELLED']]);
    expect(stop.reason?.message).toBe('boom');
    expect(stop.errors.map((e) => e.message)).toEqual(['boom', 'another real failure']);
  });

  it("follows the caller's signal until disposed", () => {
    const aborted = new AbortController();
    aborted.abort();
    const first = setup();
    first.stop.follow(aborted.signal, 'r1');
    expect(first.stop.kind).toBe('cancel');
    expect(first.stop.errors[0]).toMatchObject({ code: 'RUN_CANCELLED', fields: { runId: 'r1' } });

    const later = new AbortController();
    const second = setup();
    second.stop.follow(later.signal, 'r2');
    second.stop.dispose();
    later.abort();
    expect(second.stop.stopped).toBe(false);
  });
});
