import type { CheckContext } from './check-context.ts';
import { reporter } from './check-context.ts';

/**
 * DAG_CYCLE: steps that depend on each other in a circle can never start. Each cycle is reported once
 * (one per strongly connected component), as the whole path from the step that comes first in the file
 * back to itself, each step with its line. An arrow goes from a step to one that depends on it.
 */
export function checkCycles(ctx: CheckContext): void {
  const r = reporter(ctx);
  for (const cycle of findCycles(ctx.dependencies, Object.keys(ctx.doc.steps))) {
    const path = [...cycle, cycle[0]!].map((id, i) => (i === cycle.length ? id : `${id} (line ${r.stepLine(id)})`)).join(' -> ');
    r.atKey('DAG_CYCLE', ['steps', cycle[0]!], `dependency cycle: ${path}: remove one of these dependencies (from \`needs\` or from a \`steps.X\` reference)`);
  }
}

/**
 * One cycle per strongly connected component that has one (Tarjan's algorithm, iterative so that a chain
 * of 10,000 steps does not exhaust the stack). Each cycle starts at its member that comes first in the file
 * and follows dependents: `a -> b` means b depends on a.
 */
export function findCycles(dependencies: ReadonlyMap<string, readonly string[]>, fileOrder: readonly string[]): string[][] {
  const index = new Map(fileOrder.map((id, i) => [id, i]));
  const dependents = new Map<string, string[]>(fileOrder.map((id) => [id, []]));
  for (const id of fileOrder) for (const dep of dependencies.get(id) ?? []) dependents.get(dep)?.push(id);

  const components = stronglyConnected(fileOrder, dependents);
  const cycles: string[][] = [];
  for (const component of components) {
    const members = new Set(component);
    const selfLoop = component.length === 1 && (dependencies.get(component[0]!) ?? []).includes(component[0]!);
    if (component.length === 1 && !selfLoop) continue;
    const start = component.reduce((a, b) => (index.get(a)! <= index.get(b)! ? a : b));
    cycles.push(selfLoop ? [start] : shortestCycle(start, members, dependents, index));
  }
  return cycles.sort((a, b) => index.get(a[0]!)! - index.get(b[0]!)!);
}

/** Breadth-first from `start` inside its component back to `start`; neighbours in file order. */
function shortestCycle(start: string, members: ReadonlySet<string>, dependents: ReadonlyMap<string, string[]>, index: ReadonlyMap<string, number>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    const next = [...(dependents.get(node) ?? [])].filter((n) => members.has(n)).sort((a, b) => index.get(a)! - index.get(b)!);
    for (const n of next) {
      if (n === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(parent.get(path[0]!)!);
        return path;
      }
      if (!parent.has(n)) {
        parent.set(n, node);
        queue.push(n);
      }
    }
  }
  return [start];
}

function stronglyConnected(nodes: readonly string[], edges: ReadonlyMap<string, string[]>): string[][] {
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (indexOf.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    indexOf.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const out = edges.get(frame.node) ?? [];
      if (frame.next < out.length) {
        const child = out[frame.next++]!;
        if (!indexOf.has(child)) {
          indexOf.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          work.push({ node: child, next: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, indexOf.get(child)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === indexOf.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}
