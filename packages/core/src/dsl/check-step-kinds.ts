import type { CheckContext } from './check-context.ts';
import { reporter } from './check-context.ts';
import { didYouMeanHint } from './did-you-mean.ts';
import { stepList } from './step-entries.ts';
import type { StepSpec, WorkflowDocument } from './workflow-document.ts';
import { WITHOUT_KIND } from './workflow-normalize.ts';
import { calledWorkflow } from './uses.ts';

// Keys that only make sense on a step that calls an agent.
const AGENT_ONLY = ['writes', 'timeout', 'retry', 'concurrency', 'estimate', 'provider', 'fallback'] as const;

/**
 * STEP_KIND_CONFLICT, LOOP_UNBOUNDED and the shape of follow-up templates: a step is exactly one of an
 * agent call (`agent:`), a group (`steps:`), a sub-workflow (`uses:`); group keys (`outputs`, `repeat`) need
 * `steps:` (or `uses:` for nothing but `with`); a loop has a bound; a follow-up template names a step that
 * exists (`group.inner` for an inner step) and is not itself a group.
 */
export function checkStepKinds(ctx: CheckContext): void {
  const r = reporter(ctx);
  const { ids, specs } = stepList(ctx.doc);
  for (let i = 0; i < ids.length; i += 1) {
    const id = ids[i]!;
    const step = specs[i]!;
    // An agent step with no group keys (the usual case) has nothing to check here.
    if (step.agent !== '' && step.steps === undefined && step.uses === undefined && step.outputs === undefined && step.repeat === undefined && step.follow_up === undefined) continue;
    const kinds = [step.agent !== '' ? 'agent' : undefined, step.steps !== undefined ? 'steps' : undefined, step.uses !== undefined ? 'uses' : undefined].filter(Boolean);
    if (WITHOUT_KIND.has(step)) {
      r.atKey('SCHEMA_INVALID', ['steps', id], `\`steps.${id}\` is missing the required key \`agent\``, 'or give it `steps:` (a group) or `uses:` (a workflow file)');
      continue;
    }
    if (kinds.length > 1) {
      r.atKey('STEP_KIND_CONFLICT', ['steps', id, kinds[1]!], `step \`${id}\` has both \`${kinds[0]}\` and \`${kinds[1]}\`: a step calls an agent, or is a group (\`steps:\`), or calls a workflow (\`uses:\`)`);
      continue;
    }
    const group = step.steps !== undefined || step.uses !== undefined;
    if (group) {
      for (const key of AGENT_ONLY) {
        const value = step[key];
        if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
          r.atKey('STEP_KIND_CONFLICT', ['steps', id, key], `\`${key}\` is set on the group \`${id}\`, which runs no agent itself: set it on its inner steps`);
        }
      }
      if (step.steps !== undefined && step.with !== undefined) {
        r.atKey('STEP_KIND_CONFLICT', ['steps', id, 'with'], `\`with\` is set on the group \`${id}\`: inner steps read \`item\`, \`index\` and the workflow's inputs directly (\`with:\` gives the inputs of a \`uses:\` workflow)`);
      }
      if (step.uses !== undefined && step.outputs !== undefined) {
        r.atKey('STEP_KIND_CONFLICT', ['steps', id, 'outputs'], `\`outputs\` is set on \`${id}\`, which calls \`${step.uses}\`: the called workflow's own \`outputs:\` are the step's output`);
      }
      if (step.follow_up !== undefined) r.atKey('STEP_KIND_CONFLICT', ['steps', id, 'follow_up'], `a group cannot be a follow-up template: put \`follow_up\` on a step that calls an agent`);
    } else {
      for (const key of ['outputs', 'repeat'] as const) {
        if (step[key] !== undefined) {
          r.atKey('STEP_KIND_CONFLICT', ['steps', id, key], `\`${key}\` is set on \`${id}\`, which is not a group: give it \`steps:\` (its inner steps) or remove \`${key}\``);
        }
      }
    }
    if (step.repeat !== undefined && step.repeat.max === undefined) {
      r.atKey('LOOP_UNBOUNDED', ['steps', id, 'repeat'], `the loop \`${id}\` has no bound: add \`max:\` to its \`repeat:\` (the most iterations, e.g. \`max: 5\`)`, 'and `on_max: continue` if reaching it is an acceptable outcome');
    }
    if (step.follow_up !== undefined) checkFollowUp(ctx, id, step);
  }
}

function checkFollowUp(ctx: CheckContext, id: string, step: StepSpec): void {
  const r = reporter(ctx);
  if (ctx.level.path.length > 0) {
    r.atKey('STEP_KIND_CONFLICT', ['steps', id, 'follow_up'], `the follow-up template \`${id}\` is inside a group: templates are top-level steps (name an inner creating step as \`group.inner\` in \`from\`)`);
    return;
  }
  const from = step.follow_up!.from;
  const found = resolveStepPath(ctx.doc, from);
  if (typeof found === 'string') {
    r.at('UNKNOWN_STEP_REF', ['steps', id, 'follow_up', 'from'], `the follow-up template \`${id}\` is created from \`${from}\`: ${found}`, didYouMeanHint(from.split('.').pop()!, Object.keys(ctx.doc.steps)));
    return;
  }
  if (found.steps !== undefined || found.uses !== undefined || found.follow_up !== undefined) {
    r.at('STEP_KIND_CONFLICT', ['steps', id, 'follow_up', 'from'], `follow-ups are created from the output of a step that calls an agent; \`${from}\` is a ${found.follow_up ? 'template' : 'group'}`);
  }
  if (step.for_each !== undefined) r.atKey('STEP_KIND_CONFLICT', ['steps', id, 'for_each'], `the follow-up template \`${id}\` has \`for_each\`: its tasks come from \`follow_up.each\``);
}

/** A step named `a.b.c` (an inner step of groups): its spec, or why it does not exist. */
export function resolveStepPath(doc: WorkflowDocument, path: string): StepSpec | string {
  let steps: Record<string, StepSpec> | undefined = doc.steps;
  let spec: StepSpec | undefined;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i += 1) {
    spec = steps?.[parts[i]!];
    if (!spec || !Object.hasOwn(steps!, parts[i]!)) {
      return i === 0 ? `\`${parts[0]}\` is not a step of this workflow` : `\`${parts.slice(0, i).join('.')}\` has no inner step \`${parts[i]}\``;
    }
    steps = spec.steps ?? calledWorkflow(spec)?.document.steps;
  }
  return spec!;
}
