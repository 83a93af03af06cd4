import type { CheckContext } from './check-context.ts';
import { reporter } from './check-context.ts';
import { didYouMeanHint } from './did-you-mean.ts';
import type { LocatedReference } from './workflow-expressions.ts';

const STEP_MEMBERS = ['output', 'status'];

/**
 * UNKNOWN_NEEDS, UNKNOWN_STEP_REF, UNKNOWN_INPUT_REF, UNKNOWN_STATE_REF, UNKNOWN_ENV_REF and
 * ITEM_OUTSIDE_FOR_EACH: every name a step or output points at must exist where it is used.
 */
export function checkReferences(ctx: CheckContext): void {
  const r = reporter(ctx);
  const stepIds = Object.keys(ctx.doc.steps);
  const steps = new Set(stepIds);
  for (const [id, step] of Object.entries(ctx.doc.steps)) {
    (step.needs ?? []).forEach((need, i) => {
      if (!steps.has(need)) {
        r.at('UNKNOWN_NEEDS', ['steps', id, 'needs', i], `step \`${id}\` needs \`${need}\`, which is not a step of this workflow`, didYouMeanHint(need, stepIds));
      }
    });
    const hasForEach = step.for_each !== undefined;
    for (const ref of ctx.expressions.steps.get(id)?.references ?? []) {
      checkReference(ctx, ref, hasForEach && ref.field !== 'for_each', `step \`${id}\``);
    }
  }
  for (const ref of ctx.expressions.outputReferences) checkReference(ctx, ref, false, `output \`${String(ref.path[1])}\``);
}

function checkReference(ctx: CheckContext, ref: LocatedReference, itemInScope: boolean, where: string): void {
  const r = reporter(ctx);
  const { doc } = ctx;
  const report = (code: Parameters<typeof r.atOffset>[0], message: string, hint?: string) => r.atOffset(code, ref.path, ref.offset, message, hint);
  switch (ref.root) {
    case 'steps': {
      if (ref.name === undefined) return;
      if (!Object.hasOwn(doc.steps, ref.name)) {
        report('UNKNOWN_STEP_REF', `${where} refers to \`steps.${ref.name}\`, which is not a step of this workflow`, didYouMeanHint(ref.name, Object.keys(doc.steps)));
      } else if (ref.member !== undefined && !STEP_MEMBERS.includes(ref.member)) {
        report(
          'UNKNOWN_STEP_REF',
          `${where} refers to \`steps.${ref.name}.${ref.member}\`: a step has only \`output\` and \`status\``,
          didYouMeanHint(ref.member, STEP_MEMBERS),
        );
      }
      return;
    }
    case 'inputs':
      if (ref.name !== undefined && !Object.hasOwn(doc.inputs, ref.name)) {
        report('UNKNOWN_INPUT_REF', `${where} refers to \`inputs.${ref.name}\`, which is not declared under \`inputs:\``, didYouMeanHint(ref.name, Object.keys(doc.inputs)));
      }
      return;
    case 'state':
      if (ref.name !== undefined && !Object.hasOwn(doc.state, ref.name)) {
        report('UNKNOWN_STATE_REF', `${where} refers to \`state.${ref.name}\`, which is not declared under \`state:\``, didYouMeanHint(ref.name, Object.keys(doc.state)));
      }
      return;
    case 'env':
      if (ref.name !== undefined && !Object.hasOwn(doc.env, ref.name)) {
        report(
          'UNKNOWN_ENV_REF',
          `${where} refers to \`env.${ref.name}\`, which is not declared under \`env:\` (undeclared variables are invisible to workflows)`,
          didYouMeanHint(ref.name, Object.keys(doc.env)),
        );
      }
      return;
    case 'item':
    case 'index':
      if (!itemInScope) {
        const place = ref.field === 'for_each' ? `the \`for_each\` of ${where}` : where;
        report('ITEM_OUTSIDE_FOR_EACH', `\`${ref.root}\` is used in ${place}, but it only exists inside a step with \`for_each\` (in its \`with\` and \`if\`)`);
      }
      return;
  }
}
