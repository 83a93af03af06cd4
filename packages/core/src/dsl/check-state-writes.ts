import type { CheckContext } from './check-context.ts';
import { reporter } from './check-context.ts';
import { didYouMeanHint } from './did-you-mean.ts';
import type { StepSpec } from './workflow-document.ts';
import { stepList } from './step-entries.ts';

/**
 * STATE_KEY_NOT_WRITABLE: `writes:` names declared state keys only.
 * STATE_WRITE_RACE: writers of a key whose reducer is `replace` that may run at the same time: two steps
 * (neither reaches the other through dependencies), or the items of one `for_each` step that may run more
 * than one item at a time. Each writer's update is meant to count, and all but one are lost (items that
 * read the key, change it and write it back lose each other's updates). A key declared `last_write_wins:
 * true` allows them: the write of the last writer in plan order, and within a fan-out of the last item,
 * is kept (the state store folds writes in that order whatever order they finish in).
 * Reachability is computed only from the writers of such keys, so a workflow without them costs nothing.
 */
export function checkStateWrites(ctx: CheckContext): void {
  const r = reporter(ctx);
  const stateKeys = Object.keys(ctx.doc.state);
  for (const [key, spec] of Object.entries(ctx.doc.state)) {
    if (spec?.last_write_wins === true && spec.reducer !== 'replace') {
      r.at(
        'SCHEMA_INVALID',
        ['state', key, 'last_write_wins'],
        `state key \`${key}\` has \`last_write_wins: true\` but its reducer is \`${spec.reducer}\`: only a \`replace\` key keeps one write; remove the option`,
      );
    }
  }
  const writersByKey = new Map<string, string[]>();
  const { ids, specs } = stepList(ctx.doc);
  for (let s = 0; s < ids.length; s += 1) {
    const id = ids[s]!;
    const step = specs[s]!;
    // A group writes what its inner steps write: it races with the steps that can run beside it.
    if (step.steps !== undefined) {
      for (const key of innerReplaceWrites(ctx, step)) {
        const writers = writersByKey.get(key);
        if (writers) writers.push(id);
        else writersByKey.set(key, [id]);
      }
      continue;
    }
    if (step.writes === undefined || step.writes.length === 0) continue;
    step.writes.forEach((key, i) => {
      if (!Object.hasOwn(ctx.doc.state, key)) {
        r.at('STATE_KEY_NOT_WRITABLE', ['steps', id, 'writes', i], `step \`${id}\` writes \`${key}\`, which is not declared under \`state:\``, didYouMeanHint(key, stateKeys));
        return;
      }
      const spec = ctx.doc.state[key];
      if (spec?.reducer !== 'replace' || spec.last_write_wins === true) return;
      const overlapping = ctx.level.overlappingGroup;
      if (overlapping !== undefined && !itemsMayOverlap(step)) {
        r.at(
          'STATE_WRITE_RACE',
          ['steps', id, 'writes', i],
          `the instances of the group \`${overlapping}\` (\`for_each\`) can run at the same time and each runs \`${id}\`, which writes \`${key}\`, whose reducer is \`replace\`: all but one write are lost`,
          `run the instances one at a time (\`max_parallel: 1\` on the group), use a reducer that keeps every write (\`append\`, \`merge\`), or declare the key \`last_write_wins: true\``,
        );
      }
      if (itemsMayOverlap(step)) {
        r.at(
          'STATE_WRITE_RACE',
          ['steps', id, 'writes', i],
          `the items of \`${id}\` (\`for_each\`) can run at the same time and each writes \`${key}\`, whose reducer is \`replace\`: all but one write are lost`,
          `run the items one at a time (\`max_parallel: 1\`), use a reducer that keeps every write (\`append\`, \`merge\`), or declare the key \`last_write_wins: true\` if only the last item's write should count`,
        );
      }
      const writers = writersByKey.get(key);
      if (writers) writers.push(id);
      else writersByKey.set(key, [id]);
    });
  }
  const descendants = new Map<string, Set<string>>();
  const reach = (id: string): Set<string> => {
    let set = descendants.get(id);
    if (!set) {
      set = reachableFrom(id, ctx.dependencies);
      descendants.set(id, set);
    }
    return set;
  };
  for (const [key, writers] of writersByKey) {
    for (let i = 0; i < writers.length; i++) {
      for (let j = i + 1; j < writers.length; j++) {
        const a = writers[i]!;
        const b = writers[j]!;
        if (reach(a).has(b) || reach(b).has(a)) continue;
        const index = (ctx.doc.steps[b]?.writes ?? []).indexOf(key);
        r.at(
          'STATE_WRITE_RACE',
          index < 0 ? ['steps', b] : ['steps', b, 'writes', index],
          `steps \`${a}\` (line ${r.stepLine(a)}) and \`${b}\` can run at the same time and both write \`${key}\`, whose reducer is \`replace\`: make one depend on the other (\`needs:\`) or use another reducer`,
          `or declare the key \`last_write_wins: true\` if the write of the step later in the file should simply win`,
        );
      }
    }
  }
}

/** A `for_each` step may run two of its items at once: not capped to one, and not a literal list of one. */
function itemsMayOverlap(step: StepSpec): boolean {
  if (step.for_each === undefined || step.max_parallel === 1) return false;
  return !Array.isArray(step.for_each) || step.for_each.length > 1;
}

/** Every step that (transitively) depends on `start`. */
function reachableFrom(start: string, dependencies: ReadonlyMap<string, readonly string[]>): Set<string> {
  const dependents = dependentsIndex(dependencies);
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    for (const next of dependents.get(stack.pop()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen;
}

const dependentsCache = new WeakMap<object, Map<string, string[]>>();

function dependentsIndex(dependencies: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  let index = dependentsCache.get(dependencies);
  if (!index) {
    index = new Map();
    for (const [id, deps] of dependencies) {
      for (const dep of deps) {
        const list = index.get(dep);
        if (list) list.push(id);
        else index.set(dep, [id]);
      }
    }
    dependentsCache.set(dependencies, index);
  }
  return index;
}

/** The `replace` keys (without `last_write_wins`) that a group's inner steps write, at any depth. */
function innerReplaceWrites(ctx: CheckContext, group: StepSpec, out: Set<string> = new Set()): Set<string> {
  for (const inner of Object.values(group.steps ?? {})) {
    if (inner.steps !== undefined) innerReplaceWrites(ctx, inner, out);
    for (const key of inner.writes ?? []) {
      const spec = Object.hasOwn(ctx.doc.state, key) ? ctx.doc.state[key] : undefined;
      if (spec?.reducer === 'replace' && spec.last_write_wins !== true) out.add(key);
    }
  }
  return out;
}
