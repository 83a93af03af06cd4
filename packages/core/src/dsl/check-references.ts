import type { CheckContext } from './check-context.ts';
import { reporter } from './check-context.ts';
import { didYouMeanHint } from './did-you-mean.ts';
import type { LocatedReference } from './workflow-expressions.ts';
import type { ErrorCode } from '../errors/error-codes.ts';
import { stepEntries } from './step-entries.ts';
import { stepGraph } from './step-graph.ts';

const STEP_MEMBERS = ['output', 'status'];

/**
 * UNKNOWN_NEEDS, UNKNOWN_STEP_REF, UNKNOWN_INPUT_REF, UNKNOWN_STATE_REF, UNKNOWN_ENV_REF and
 * ITEM_OUTSIDE_FOR_EACH: every name a step or output points at must exist where it is used.
 */
export function checkReferences(ctx: CheckContext): void {
  const entries = stepEntries(ctx.doc);
  const steps = stepGraph(ctx.doc, ctx.expressions).index;
  for (const [id, step] of entries) {
    const needs = step.needs ?? [];
    for (let i = 0; i < needs.length; i += 1) {
      const need = needs[i]!;
      if (!steps.has(need)) {
        reporter(ctx).at('UNKNOWN_NEEDS', ['steps', id, 'needs', i], `step \`${id}\` needs \`${need}\`, which is not a step of this workflow`, didYouMeanHint(need, steps.keys()));
      }
    }
    const hasForEach = step.for_each !== undefined;
    const references = ctx.expressions.steps.get(id)?.references;
    if (references) for (const ref of references) checkReference(ctx, ref, hasForEach && ref.field !== 'for_each', id);
  }
  for (const ref of ctx.expressions.outputReferences) checkReference(ctx, ref, false, undefined, String(ref.path[1]));
}

/** Checks one reference of step `stepId` (or of output `output`); builds nothing unless it reports. */
function checkReference(ctx: CheckContext, ref: LocatedReference, itemInScope: boolean, stepId: string | undefined, output?: string): void {
  const { doc } = ctx;
  const where = () => (stepId === undefined ? `output \`${output}\`` : `step \`${stepId}\``);
  const report = (code: ErrorCode, message: string, hint?: string) => reporter(ctx).atOffset(code, ref.path, ref.offset, message, hint);
  switch (ref.root) {
    case 'steps': {
      if (ref.name === undefined) return;
      if (!Object.hasOwn(doc.steps, ref.name)) {
        report('UNKNOWN_STEP_REF', `${where()} refers to \`steps.${ref.name}\`, which is not a step of this workflow`, didYouMeanHint(ref.name, Object.keys(doc.steps)));
      } else if (ref.member !== undefined && !STEP_MEMBERS.includes(ref.member)) {
        report(
          'UNKNOWN_STEP_REF',
          `${where()} refers to \`steps.${ref.name}.${ref.member}\`: a step has only \`output\` and \`status\``,
          didYouMeanHint(ref.member, STEP_MEMBERS),
        );
      }
      return;
    }
    case 'inputs':
      if (ref.name !== undefined && !Object.hasOwn(doc.inputs, ref.name)) {
        report('UNKNOWN_INPUT_REF', `${where()} refers to \`inputs.${ref.name}\`, which is not declared under \`inputs:\``, didYouMeanHint(ref.name, Object.keys(doc.inputs)));
      }
      return;
    case 'state':
      if (ref.name !== undefined && !Object.hasOwn(doc.state, ref.name)) {
        report('UNKNOWN_STATE_REF', `${where()} refers to \`state.${ref.name}\`, which is not declared under \`state:\``, didYouMeanHint(ref.name, Object.keys(doc.state)));
      }
      return;
    case 'env':
      if (ref.name !== undefined && !Object.hasOwn(doc.env, ref.name)) {
        report(
          'UNKNOWN_ENV_REF',
          `${where()} refers to \`env.${ref.name}\`, which is not declared under \`env:\` (undeclared variables are invisible to workflows)`,
          didYouMeanHint(ref.name, Object.keys(doc.env)),
        );
      }
      return;
    case 'item':
    case 'index':
      if (!itemInScope) {
        const place = ref.field === 'for_each' ? `the \`for_each\` of ${where()}` : where();
        report('ITEM_OUTSIDE_FOR_EACH', `\`${ref.root}\` is used in ${place}, but it only exists inside a step with \`for_each\` (in its \`with\` and \`if\`)`);
      }
      return;
  }
}
