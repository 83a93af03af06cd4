import type { ExprNode, PathSegment, Template } from '../expr/ast.ts';
import type { CheckContext } from './check-context.ts';
import { reporter } from './check-context.ts';
import { declaredOutputSchema } from './declared-output-schema.ts';
import { didYouMeanHint } from './did-you-mean.ts';
import type { DocPath, JsonSchema } from './workflow-document.ts';
import { isRecord } from './workflow-normalize.ts';
import { stepList } from './step-entries.ts';
import type { LocatedReference } from './workflow-expressions.ts';

/**
 * UNKNOWN_STEP_REF for `steps.<id>.output.<field>` when step `<id>` declares its output schema (e.g.
 * `llm.generate` with `output_schema:`) and that schema has no such field: a typo there would otherwise only
 * show at run time, as an undefined value. Schemas that allow other properties (`additionalProperties` not
 * false) are not held to their list; agents' own schemas are not checked (many list only part of the output).
 */
export function checkOutputFields(ctx: CheckContext): void {
  // Only a step whose agent reads its output schema from `with:` (outputSchemaFor) can declare one: a level
  // without such steps has nothing to check, and its references are not walked.
  if (!stepList(ctx.doc).specs.some((step) => ctx.agents.get(step.agent)?.outputSchemaFor !== undefined)) return;
  const declared = new Map<string, JsonSchema | undefined>();
  const schemaOf = (id: string): JsonSchema | undefined => {
    if (!declared.has(id)) {
      const found = declaredOutputSchema(ctx.agents, ctx.doc.steps[id]);
      declared.set(id, found?.declared ? found.schema : undefined);
    }
    return declared.get(id);
  };
  const visit = (template: Template | undefined, path: DocPath): void => {
    if (!template) return;
    for (const { node, offset, at } of pathNodes(template, path)) {
      if (node.root !== 'steps') continue;
      const keys = leadingKeys(node.segments);
      if (keys.length < 3 || keys[1] !== 'output') continue;
      const schema = schemaOf(keys[0]!);
      if (!schema) continue;
      const problem = unknownField(schema, keys.slice(2));
      if (!problem) continue;
      reporter(ctx).atOffset(
        'UNKNOWN_STEP_REF',
        at,
        offset + node.start,
        `\`steps.${keys.slice(0, 2 + problem.depth + 1).join('.')}\`: the output schema step \`${keys[0]}\` declares has no field \`${problem.key}\``,
        didYouMeanHint(problem.key, problem.known),
      );
    }
  };
  const { ids } = stepList(ctx.doc);
  const byIndex = ctx.expressions.byIndex;
  for (let i = 0; i < ids.length; i += 1) {
    const id = ids[i]!;
    const parsed = byIndex[i];
    // Every `steps.X.output...` path of the step is among its references: most steps have none to look at.
    if (!parsed || !parsed.references.some(readsStepOutput)) continue;
    visit(parsed.with, ['steps', id, 'with']);
    if (parsed.condition) visit({ kind: 'expr', source: parsed.condition.source, expr: parsed.condition.expr }, ['steps', id, 'if']);
    if (parsed.forEach && parsed.forEach.kind === 'expression') {
      visit({ kind: 'expr', source: '', expr: parsed.forEach.parsed.expr, offset: parsed.forEach.offset }, ['steps', id, 'for_each']);
    }
  }
  for (const [name, template] of Object.entries(ctx.expressions.outputs)) visit(template, ['outputs', name]);
}

function readsStepOutput(ref: LocatedReference): boolean {
  return ref.root === 'steps' && ref.member === 'output';
}

function leadingKeys(segments: readonly PathSegment[]): string[] {
  const keys: string[] = [];
  for (const segment of segments) {
    if (segment.kind !== 'key') break;
    keys.push(segment.name);
  }
  return keys;
}

/** The first key the schema does not list (closed objects only), with the keys it does list. */
function unknownField(schema: JsonSchema, keys: readonly string[]): { key: string; depth: number; known: string[] } | undefined {
  let current: unknown = schema;
  for (let depth = 0; depth < keys.length; depth++) {
    const key = keys[depth]!;
    if (!isRecord(current)) return undefined;
    const type = current.type;
    if (type === 'array' || (Array.isArray(type) && type.includes('array'))) {
      if (key === 'length') return undefined;
      current = current.items;
      if (!/^\d+$/.test(key)) return undefined;
      continue;
    }
    const properties = current.properties;
    if (!isRecord(properties)) return undefined;
    if (Object.hasOwn(properties, key)) {
      current = properties[key];
      continue;
    }
    if (current.additionalProperties !== false) return undefined;
    return { key, depth, known: Object.keys(properties) };
  }
  return undefined;
}

interface FoundPath {
  node: Extract<ExprNode, { kind: 'path' }>;
  /** Offset of the expression source in the string at `at`. */
  offset: number;
  at: DocPath;
}

function pathNodes(template: Template, base: DocPath): FoundPath[] {
  const found: FoundPath[] = [];
  const walkTemplate = (t: Template, at: DocPath): void => {
    switch (t.kind) {
      case 'literal':
        return;
      case 'expr':
        walkExpr(t.expr, t.offset ?? 0, at);
        return;
      case 'interpolation':
        for (const part of t.parts) if ('expr' in part) walkExpr(part.expr, part.offset ?? 0, at);
        return;
      case 'array':
        t.items.forEach((item, i) => walkTemplate(item, [...at, i]));
        return;
      case 'object':
        for (const [key, value] of t.entries) walkTemplate(value, [...at, key]);
        return;
    }
  };
  const walkExpr = (node: ExprNode, offset: number, at: DocPath): void => {
    const segments = (list: readonly PathSegment[]) => {
      for (const s of list) if (s.kind === 'index') walkExpr(s.expr, offset, at);
    };
    switch (node.kind) {
      case 'path':
        found.push({ node, offset, at });
        segments(node.segments);
        return;
      case 'member':
        walkExpr(node.object, offset, at);
        segments(node.segments);
        return;
      case 'unary':
        walkExpr(node.operand, offset, at);
        return;
      case 'binary':
        walkExpr(node.left, offset, at);
        walkExpr(node.right, offset, at);
        return;
      case 'call':
        for (const arg of node.args) walkExpr(arg, offset, at);
        return;
      case 'array':
        for (const item of node.items) walkExpr(item, offset, at);
        return;
      case 'literal':
        return;
    }
  };
  walkTemplate(template, base);
  return found;
}
