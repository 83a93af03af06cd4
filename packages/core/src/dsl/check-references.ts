import type { CheckContext } from './check-context.ts';
import { reporter } from './check-context.ts';
import { didYouMeanHint } from './did-you-mean.ts';
import type { LocatedReference } from './workflow-expressions.ts';
import type { ErrorCode } from '../errors/error-codes.ts';
import { stepList } from './step-entries.ts';
import { stepGraph } from './step-graph.ts';
import { innerStepOwners } from './group-level.ts';

const STEP_MEMBERS = ['output', 'status'];

/**
 * UNKNOWN_NEEDS, UNKNOWN_STEP_REF, UNKNOWN_INPUT_REF, UNKNOWN_STATE_REF, UNKNOWN_ENV_REF and
 * ITEM_OUTSIDE_FOR_EACH: every name a step or output points at must exist where it is used.
 */
export function checkReferences(ctx: CheckContext): void {
  const { ids, specs } = stepList(ctx.doc);
  const steps = stepGraph(ctx.doc, ctx.expressions).index;
  const byIndex = ctx.expressions.byIndex;
  for (let s = 0; s < ids.length; s += 1) {
    const id = ids[s]!;
    const step = specs[s]!;
    const needs = step.needs ?? [];
    for (let i = 0; i < needs.length; i += 1) {
      const need = needs[i]!;
      if (!steps.has(need)) {
        const owner = innerStepOwners(ctx.doc).get(need);
        if (owner !== undefined) {
          reporter(ctx).at('STEP_REF_INTO_GROUP', ['steps', id, 'needs', i], `step \`${id}\` needs \`${need}\`, an inner step of the group \`${owner}\`: outside a group only the group itself can be waited for`, `write \`needs: [${owner}]\``);
          continue;
        }
        const where = ctx.level.inline ? 'of this group (inner steps wait for steps of their own group; put `needs:` on the group to wait for an outer step)' : 'of this workflow';
        reporter(ctx).at('UNKNOWN_NEEDS', ['steps', id, 'needs', i], `step \`${id}\` needs \`${need}\`, which is not a step ${where}`, didYouMeanHint(need, steps.keys()));
      }
    }
    const hasForEach = step.for_each !== undefined || step.follow_up !== undefined;
    const references = byIndex[s]?.references;
    const template = step.follow_up !== undefined;
    if (references) {
      for (const ref of references) {
        if (ref.field === 'inner' && ref.root !== 'steps') continue;
        if (isExistingStepOutput(ctx, ref)) continue;
        checkReference(ctx, ref, ctx.level.item || (hasForEach && ref.field !== 'for_each'), id, undefined, template);
      }
    }
  }
  for (const ref of ctx.expressions.outputReferences) checkReference(ctx, ref, ctx.level.item, undefined, ref.field === 'until' ? 'repeat.until' : String(ref.path[1]));
}

/** `steps.X.output` or `steps.X.status` (or `steps.X`) of a step of this level: the usual reference, fine. */
function isExistingStepOutput(ctx: CheckContext, ref: LocatedReference): boolean {
  return ref.root === 'steps' && ref.name !== undefined && (ref.member === undefined || STEP_MEMBERS.includes(ref.member)) && Object.hasOwn(ctx.doc.steps, ref.name);
}

/** Roots that exist only in some places: inside loops, and in follow-up templates. */
function checkSpecialRoot(ctx: CheckContext, ref: LocatedReference, template: boolean, where: () => string, report: (code: ErrorCode, message: string) => void): void {
  switch (ref.root) {
    case 'iteration':
    case 'previous':
      if (!ctx.level.loop) report('ITEM_OUTSIDE_FOR_EACH', `\`${ref.root}\` is used in ${where()}, but it only exists inside a group with \`repeat:\``);
      return;
    case 'source':
      if (!template) report('ITEM_OUTSIDE_FOR_EACH', `\`source\` is used in ${where()}, but it only exists in a follow-up template (a step with \`follow_up:\`)`);
      return;
    case 'output':
      if (ref.field !== 'each') report('ITEM_OUTSIDE_FOR_EACH', `\`output\` is used in ${where()}, but it only exists in \`follow_up.each\` (read a step's output as \`steps.<id>.output\`)`);
      return;
    default:
      return;
  }
}

/** Checks one reference of step `stepId` (or of output `output`); builds nothing unless it reports. */
function checkReference(ctx: CheckContext, ref: LocatedReference, itemInScope: boolean, stepId: string | undefined, output?: string, template = false): void {
  const { doc } = ctx;
  const where = () => (stepId === undefined ? `output \`${output}\`` : `step \`${stepId}\``);
  const report = (code: ErrorCode, message: string, hint?: string) => reporter(ctx).atOffset(code, ref.path, ref.offset, message, hint);
  switch (ref.root) {
    case 'steps': {
      if (ref.name === undefined) return;
      if (!Object.hasOwn(doc.steps, ref.name)) {
        // Inside an inline group, a name that is not an inner step is an outer step: the level above checks it.
        if (ctx.level.inline) return;
        const owner = innerStepOwners(doc).get(ref.name);
        if (owner !== undefined) {
          report(
            'STEP_REF_INTO_GROUP',
            `${where()} refers to \`steps.${ref.name}\`, an inner step of the group \`${owner}\`: outside a group only its output is visible`,
            `add \`${ref.name}: "\${{ steps.${ref.name}.output }}"\` to the \`outputs:\` of \`${owner}\` and read \`steps.${owner}.output\``,
          );
          return;
        }
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
        report('ITEM_OUTSIDE_FOR_EACH', `\`${ref.root}\` is used in ${place}, but it only exists inside a step or group with \`for_each\` (in its \`with\` and \`if\`, or its inner steps)`);
      }
      return;
    default:
      checkSpecialRoot(ctx, ref, template, where, report);
  }
}
