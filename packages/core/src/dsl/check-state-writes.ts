import type { CheckContext } from './check-context.ts';
import { reporter } from './check-context.ts';
import { didYouMeanHint } from './did-you-mean.ts';

/**
 * STATE_KEY_NOT_WRITABLE: `writes:` names declared state keys only.
 * STATE_WRITE_RACE: two steps that may run at the same time (neither reaches the other through
 * dependencies) both write a key whose reducer is `replace`; which write wins would depend on timing.
 * Reachability is computed only from the writers of such keys, so a workflow without them costs nothing.
 */
export function checkStateWrites(ctx: CheckContext): void {
  const r = reporter(ctx);
  const stateKeys = Object.keys(ctx.doc.state);
  const writersByKey = new Map<string, string[]>();
  for (const [id, step] of Object.entries(ctx.doc.steps)) {
    (step.writes ?? []).forEach((key, i) => {
      if (!Object.hasOwn(ctx.doc.state, key)) {
        r.at('STATE_KEY_NOT_WRITABLE', ['steps', id, 'writes', i], `step \`${id}\` writes \`${key}\`, which is not declared under \`state:\``, didYouMeanHint(key, stateKeys));
        return;
      }
      if (ctx.doc.state[key]?.reducer !== 'replace') return;
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
          ['steps', b, 'writes', index],
          `steps \`${a}\` (line ${r.stepLine(a)}) and \`${b}\` can run at the same time and both write \`${key}\`, whose reducer is \`replace\`: make one depend on the other (\`needs:\`) or use another reducer`,
        );
      }
    }
  }
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
