import type { ExprNode } from '../expr/index.ts';
import type { CheckContext } from './check-context.ts';
import { reporter } from './check-context.ts';
import type { JsonSchema } from './workflow-document.ts';
import { isRecord } from './workflow-normalize.ts';
import { stepList } from './step-entries.ts';
import { declaredOutputSchema } from './declared-output-schema.ts';

// Comparisons and && / || always give booleans; arithmetic gives a number (or a string for `+`).
const BOOLEAN_OPS = new Set(['==', '!=', '<', '<=', '>', '>=', '&&', '||']);

/**
 * FOR_EACH_NOT_LIST: a `for_each` must yield a list. Caught before the run when it is a literal that is not
 * a list, an expression whose result cannot be a list (a literal, an operator), an input declared with
 * another type, or a step output path whose type in the agent's output schema is not `array`.
 */
export function checkForEach(ctx: CheckContext): void {
  const r = reporter(ctx);
  const { ids, specs } = stepList(ctx.doc);
  for (let i = 0; i < ids.length; i += 1) {
    if (specs[i]!.for_each === undefined) continue;
    const id = ids[i]!;
    const form = ctx.expressions.byIndex[i]?.forEach;
    if (!form) continue;
    const path = ['steps', id, 'for_each'];
    const report = (what: string, offset?: number) =>
      r.atOffset('FOR_EACH_NOT_LIST', path, offset, `the \`for_each\` of step \`${id}\` is ${what}, not a list: give an expression that yields a list, or a literal list`);
    if (form.kind === 'not-a-list') {
      report(form.description);
      continue;
    }
    if (form.kind !== 'expression') continue;
    const what = nonListKind(ctx, form.parsed.expr);
    if (what) report(what, form.offset + form.parsed.expr.start);
  }
}

/** What the expression yields when that is known not to be a list; undefined when it is or may be one. */
function nonListKind(ctx: CheckContext, expr: ExprNode): string | undefined {
  switch (expr.kind) {
    case 'literal':
      return expr.value === null ? 'null' : `the ${typeof expr.value} \`${String(expr.value)}\``;
    case 'unary':
      return expr.op === '!' ? 'a boolean' : 'a number';
    case 'binary':
      return BOOLEAN_OPS.has(expr.op) ? 'a boolean' : expr.op === '+' ? 'a number or a string' : 'a number';
    case 'path':
      return pathKind(ctx, expr);
    default:
      return undefined;
  }
}

function pathKind(ctx: CheckContext, expr: Extract<ExprNode, { kind: 'path' }>): string | undefined {
  const keys: string[] = [];
  for (const segment of expr.segments) {
    if (segment.kind !== 'key') break;
    keys.push(segment.name);
  }
  if (keys.length !== expr.segments.length) return undefined; // computed index: unknown
  if (expr.root === 'inputs' && keys.length === 1) {
    const spec = ctx.doc.inputs[keys[0]!];
    return spec && spec.type !== 'array' ? `the input \`${keys[0]}\`, declared as ${spec.type}` : undefined;
  }
  if (expr.root === 'steps' && keys.length >= 2 && keys[1] === 'output') {
    const step = Object.hasOwn(ctx.doc.steps, keys[0]!) ? ctx.doc.steps[keys[0]!] : undefined;
    // A fan-out step's output (and a for_each group's) is the list of its items' outputs, whatever each is.
    if (step && (step.for_each !== undefined || step.follow_up !== undefined)) {
      return keys.length === 2 ? undefined : `\`steps.${keys.join('.')}\`, a field of the list of item outputs of the fan-out \`${keys[0]}\` (use \`pluck(steps.${keys[0]}.output, '${keys[2]}')\`, and \`flatten()\` for lists of lists)`;
    }
    if (step && (step.steps !== undefined || step.uses !== undefined)) return keys.length === 2 ? `the outputs of the group \`${keys[0]}\`, a map` : undefined;
    // The step's own declared schema (llm.generate's `output_schema`) wins over the agent's.
    const output = declaredOutputSchema(ctx.agents, step);
    if (!output || !step) return undefined;
    const type = schemaTypeAt(output.schema, keys.slice(2));
    if (type === undefined || type.includes('array')) return undefined;
    return `\`steps.${keys.join('.')}\`, declared as ${type.join(' or ')} by ${output.declared ? `the output schema of step \`${keys[0]}\`` : `agent \`${step.agent}\``}`;
  }
  return undefined;
}

/** The declared `type` of the value at `keys` in an output schema; undefined when the schema does not say. */
export function schemaTypeAt(schema: JsonSchema, keys: readonly string[]): string[] | undefined {
  let current: unknown = schema;
  for (const key of keys) {
    if (!isRecord(current)) return undefined;
    const types = typesOf(current);
    if (key === 'length' && (types?.includes('array') || types?.includes('string'))) return ['integer'];
    const properties = current.properties;
    if (!isRecord(properties) || !isRecord(properties[key])) return undefined;
    current = properties[key];
  }
  return isRecord(current) ? typesOf(current) : undefined;
}

function typesOf(schema: Record<string, unknown>): string[] | undefined {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.map(String);
  return undefined;
}
