import type { ExpressionScope } from '../expr/ast.ts';
import { evaluateExpression, renderTemplate, isTruthy } from '../expr/index.ts';
import { UcopError, isUcopError } from '../errors/ucop-error.ts';
import type { PlanStep } from '../plan/plan-types.ts';
import { blockingReason, statusReferences, type DependencyOutcome } from './skip-rule.ts';

/** What to do with a step whose dependencies have all finished. */
export type StepOpening =
  | { kind: 'skip'; reason: string }
  | { kind: 'fail'; error: UcopError }
  /** Run it: once (`items` undefined) or once per item of its `for_each` list. */
  | { kind: 'run'; items: readonly unknown[] | undefined };

/** The opening of most steps: shared, since openings are never mutated. */
const RUN_ONCE: StepOpening = Object.freeze({ kind: 'run', items: undefined });

// The status references of a condition never change: compute them once per plan step.
const statusReadsCache = new WeakMap<PlanStep, ReadonlySet<string>>();
const NONE: ReadonlySet<string> = new Set();

function statusReads(step: PlanStep): ReadonlySet<string> {
  if (!step.condition) return NONE;
  let reads = statusReadsCache.get(step);
  if (!reads) statusReadsCache.set(step, (reads = statusReferences(step.condition.expr)));
  return reads;
}

function evalError(step: PlanStep, what: string, source: string, error: unknown): UcopError {
  if (isUcopError(error) && error.code === 'EXPRESSION_EVAL') return error;
  const message = error instanceof Error ? error.message : String(error);
  return new UcopError('EXPRESSION_EVAL', `step "${step.id}": ${what} \`${source}\` could not be evaluated: ${message}`, {
    fields: { stepId: step.id, expression: source },
    cause: error,
  });
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing value';
  return typeof value === 'object' ? 'object' : typeof value;
}

/**
 * Applies the skip rule (see skip-rule.ts), then the `if:` condition, then evaluates the `for_each` list.
 * Never throws: evaluation problems come back as `fail`.
 */
export function openStep(step: PlanStep, outcome: (id: string) => DependencyOutcome, scope: ExpressionScope): StepOpening {
  const blocked = blockingReason(step, outcome, statusReads(step));
  if (blocked) return { kind: 'skip', reason: blocked };
  if (step.condition) {
    let value: unknown;
    try {
      value = evaluateExpression(step.condition.expr, scope);
    } catch (error) {
      return { kind: 'fail', error: evalError(step, 'condition', step.condition.source, error) };
    }
    if (!isTruthy(value)) return { kind: 'skip', reason: `condition \`${step.condition.source}\` was false` };
  }
  if (!step.forEach) return RUN_ONCE;
  let list: unknown;
  try {
    list = evaluateExpression(step.forEach.expr, scope);
  } catch (error) {
    return { kind: 'fail', error: evalError(step, 'for_each', step.forEach.source, error) };
  }
  if (!Array.isArray(list)) {
    return {
      kind: 'fail',
      error: new UcopError('FOR_EACH_NOT_LIST_AT_RUNTIME', `step "${step.id}": for_each \`${step.forEach.source}\` gave a ${kindOf(list)}, not a list; make it evaluate to a list (for example the output of a step that returns an array)`, {
        fields: { stepId: step.id, expression: step.forEach.source, got: kindOf(list) },
      }),
    };
  }
  return { kind: 'run', items: list };
}

/**
 * Evaluates a unit's `with:`; item and index are set for fan-out items. @returns the input, or the error
 * that evaluating it gave (returned rather than wrapped: this runs once per unit).
 */
export function resolveUnitInput(step: PlanStep, scope: ExpressionScope): Record<string, unknown> | UcopError {
  try {
    const value = renderTemplate(step.with, scope);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return new UcopError('AGENT_INPUT_INVALID', `step "${step.id}": \`with:\` must give a mapping of the agent's inputs, got a ${kindOf(value)}`, { fields: { stepId: step.id } });
    }
    return value as Record<string, unknown>;
  } catch (error) {
    return evalError(step, 'with:', 'with', error);
  }
}
