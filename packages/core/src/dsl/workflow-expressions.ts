import { isUcopError } from '../errors/ucop-error.ts';
import type { ErrorCode } from '../errors/error-codes.ts';
import { expressionReferences, parseExpression, parseTemplate, templateHasExpressions, templateReferences } from '../expr/index.ts';
import type { ExprNode, ExprReference, Template } from '../expr/index.ts';
import type { DocPath, StepSpec, WorkflowDocument } from './workflow-document.ts';
import { isRecord } from './workflow-normalize.ts';
import { stepList } from './step-entries.ts';
import { groupDocument } from './group-level.ts';

/** An expression field parsed once: the source text and its tree. */
export interface ParsedExpression {
  source: string;
  expr: ExprNode;
}

/** A reference found in a workflow, with where its string sits in the document and where in that string. */
export interface LocatedReference extends ExprReference {
  /** Path of the string in the document, e.g. ['steps', 'outline', 'with', 'path']. */
  path: DocPath;
  /** Offset of the reference in that string. */
  offset: number;
  field: 'with' | 'if' | 'for_each' | 'outputs' | 'until' | 'each' | 'target' | 'inner';
}

/** How a step's `for_each` was written. */
export type ForEachForm =
  | { kind: 'expression'; parsed: ParsedExpression; offset: number }
  | { kind: 'list'; parsed: ParsedExpression }
  | { kind: 'not-a-list'; description: string };

export interface StepExpressions {
  with: Template;
  condition?: ParsedExpression;
  forEach?: ForEachForm;
  /** A follow-up template's `each` and `target`. */
  followUp?: { each: ParsedExpression; target?: Template };
  /**
   * Every reference of the step, located in this document. For a group this includes the `steps.X`
   * references of its inner steps (at any depth) that name no inner step: they point out of the group
   * (field `inner`) and make X a dependency of the whole group.
   */
  references: LocatedReference[];
}

/** A template that could not be parsed. */
export interface ExpressionProblem {
  code: ErrorCode;
  message: string;
  path: DocPath;
  /** Offset in the string at `path`, when known. */
  offset?: number;
}

export interface WorkflowExpressions {
  /** The parsed expressions of each step by id; built on first use (the checks and the compiler read {@link byIndex}). */
  readonly steps: ReadonlyMap<string, StepExpressions>;
  /** The same by file position (step i of stepList): what the per-step passes read. */
  byIndex: readonly StepExpressions[];
  outputs: Record<string, Template>;
  /** On a group's inner level: its `repeat.until`. */
  until?: ParsedExpression;
  outputReferences: LocatedReference[];
  problems: ExpressionProblem[];
}

const cache = new WeakMap<WorkflowDocument, WorkflowExpressions>();

/** The template of a step without `with:` or with `with: {}`, shared (templates are never mutated). */
const EMPTY_WITH: Template = Object.freeze({ kind: 'object', entries: Object.freeze([]) }) as unknown as Template;

/** The references of every step that has none, shared (never mutated: parseStep builds a list only when it has one). */
const NO_REFERENCES: LocatedReference[] = Object.freeze([]) as unknown as LocatedReference[];

/**
 * Parses every expression of a workflow (`with`, `if`, `for_each`, `outputs`) once; validation and
 * compilation of the same document share the result.
 */
export function workflowExpressions(doc: WorkflowDocument): WorkflowExpressions {
  let parsed = cache.get(doc);
  if (!parsed) {
    parsed = parseWorkflowExpressions(doc);
    cache.set(doc, parsed);
  }
  return parsed;
}

function parseWorkflowExpressions(doc: WorkflowDocument): WorkflowExpressions {
  const problems: ExpressionProblem[] = [];
  const { ids, specs } = stepList(doc);
  const byIndex = new Array<StepExpressions>(ids.length);
  for (let i = 0; i < ids.length; i += 1) byIndex[i] = parseStep(doc, ids[i]!, specs[i]!, problems);
  const outputs: Record<string, Template> = {};
  const outputReferences: LocatedReference[] = [];
  let until: ParsedExpression | undefined;
  if (doc.repeatUntil !== undefined) {
    const condition = parseCondition(doc.repeatUntil, ['repeat', 'until'], problems);
    if (condition) {
      until = condition.parsed;
      outputReferences.push(...locate(condition.parsed.expr, ['repeat', 'until'], condition.offset, 'until'));
    }
  }
  for (const [name, value] of Object.entries(doc.outputs)) {
    const path = ['outputs', name];
    const template = parseValue(value, path, problems);
    outputs[name] = template;
    outputReferences.push(...locateTemplateReferences(template, path, 'outputs'));
  }
  let steps: Map<string, StepExpressions> | undefined;
  const parsed: WorkflowExpressions = {
    get steps(): ReadonlyMap<string, StepExpressions> {
      if (!steps) {
        steps = new Map();
        for (let i = 0; i < ids.length; i += 1) steps.set(ids[i]!, byIndex[i]!);
      }
      return steps;
    },
    byIndex,
    outputs,
    outputReferences,
    problems,
  };
  if (until) parsed.until = until;
  return parsed;
}

/**
 * The `steps.X` references inside a group level (its steps, nested groups, outputs, `repeat.until`) whose X
 * is not a step of that level: they point out of the group. Paths stay relative to the level.
 */
export function escapingReferences(level: WorkflowDocument): LocatedReference[] {
  const parsed = workflowExpressions(level);
  const out: LocatedReference[] = [];
  const keep = (ref: LocatedReference) => {
    if (ref.root === 'steps' && ref.name !== undefined && !Object.hasOwn(level.steps, ref.name)) out.push(ref);
  };
  for (const e of parsed.byIndex) for (const ref of e.references) keep(ref);
  for (const ref of parsed.outputReferences) keep(ref);
  return out;
}

function parseStep(doc: WorkflowDocument, id: string, step: StepSpec, problems: ExpressionProblem[]): StepExpressions {
  const withTemplate = isEmptyWith(step.with) ? EMPTY_WITH : parseValue(step.with, ['steps', id, 'with'], problems);
  const result: StepExpressions = { with: withTemplate, references: NO_REFERENCES };
  // Most steps have no `if`, `for_each`, follow-up or group: they allocate no path and no list here.
  let references: LocatedReference[] | undefined = templateHasExpressions(withTemplate) ? locateTemplateReferences(withTemplate, ['steps', id, 'with'], 'with') : undefined;
  if (step.if !== undefined) {
    const path = ['steps', id, 'if'];
    const condition = parseCondition(step.if as unknown, path, problems);
    if (condition) {
      result.condition = condition.parsed;
      references = joined(references, locate(condition.parsed.expr, path, condition.offset, 'if'));
    }
  }
  if (step.for_each !== undefined) {
    const path = ['steps', id, 'for_each'];
    const form = parseForEach(step.for_each as unknown, path, problems);
    if (form) {
      result.forEach = form;
      if (form.kind === 'expression') references = joined(references, locate(form.parsed.expr, path, form.offset, 'for_each'));
      if (form.kind === 'list') references = joined(references, locate(form.parsed.expr, path, 0, 'for_each'));
    }
  }
  if (step.follow_up) {
    const followUp: LocatedReference[] = [];
    parseFollowUp(step, ['steps', id], result, followUp, problems);
    references = joined(references, followUp);
  }
  if (step.steps) {
    // Inner references that leave the group make the group depend on what they name.
    const inner = groupDocument(doc, step);
    references = joined(references, escapingReferences(inner).map((ref) => ({ ...ref, path: ['steps', id, ...ref.path], field: 'inner' as const })));
  }
  if (references) result.references = references;
  return result;
}

function joined(references: LocatedReference[] | undefined, found: LocatedReference[]): LocatedReference[] | undefined {
  if (found.length === 0) return references;
  if (!references) return found;
  references.push(...found);
  return references;
}

/** `with:` absent or `{}`: the shared empty template (most steps of generated and many real workflows). */
function isEmptyWith(value: unknown): boolean {
  if (value === undefined) return true;
  if (!isRecord(value)) return false;
  for (const _ in value) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function parseFollowUp(step: StepSpec, base: DocPath, result: StepExpressions, references: LocatedReference[], problems: ExpressionProblem[]): void {
  const spec = step.follow_up!;
  const eachPath = [...base, 'follow_up', 'each'];
  const each = parseValue(spec.each, eachPath, problems);
  if (each.kind !== 'expr') {
    if (each.kind !== 'literal' || problems.length === 0) {
      problems.push({ code: 'EXPRESSION_SYNTAX', message: '`follow_up.each` must be one expression that yields a list, e.g. `${{ output.flags }}`', path: eachPath, offset: 0 });
    }
    return;
  }
  const followUp: NonNullable<StepExpressions['followUp']> = { each: { source: each.source, expr: each.expr } };
  references.push(...locate(each.expr, eachPath, each.offset ?? 0, 'each'));
  if (spec.target !== undefined) {
    const targetPath = [...base, 'follow_up', 'target'];
    followUp.target = parseValue(spec.target, targetPath, problems);
    references.push(...locateTemplateReferences(followUp.target, targetPath, 'target'));
  }
  result.followUp = followUp;
}

/** `if:` is one expression: `${{ a > 0 }}`, or bare `a > 0`, or a boolean. */
function parseCondition(value: unknown, path: DocPath, problems: ExpressionProblem[]): { parsed: ParsedExpression; offset: number } | undefined {
  if (typeof value === 'boolean') return { parsed: { source: String(value), expr: { kind: 'literal', value, start: 0 } }, offset: 0 };
  if (typeof value !== 'string') return undefined;
  if (!value.includes('${{')) {
    const source = value.trim();
    const offset = value.length - value.trimStart().length;
    try {
      return { parsed: { source, expr: parseExpression(source) }, offset };
    } catch (error) {
      problems.push(toProblem(error, path, offset));
      return undefined;
    }
  }
  const template = parseValue(value, path, problems);
  if (template.kind === 'expr') return { parsed: { source: template.source, expr: template.expr }, offset: template.offset ?? 0 };
  if (template.kind === 'interpolation') {
    problems.push({
      code: 'EXPRESSION_SYNTAX',
      message: '`if:` must be a single expression, not text around `${{ }}` (text is always true): write `${{ ... }}` alone',
      path,
      offset: 0,
    });
  }
  return undefined;
}

function parseForEach(value: unknown, path: DocPath, problems: ExpressionProblem[]): ForEachForm | undefined {
  if (Array.isArray(value)) {
    const items: ExprNode[] = [];
    for (const [i, item] of value.entries()) {
      const node = literalListItem(item, [...path, i], problems);
      if (node) items.push(node);
    }
    return { kind: 'list', parsed: { source: JSON.stringify(value), expr: { kind: 'array', items, start: 0 } } };
  }
  if (typeof value !== 'string') return { kind: 'not-a-list', description: describeLiteral(value) };
  const before = problems.length;
  const template = parseValue(value, path, problems);
  // An expression that does not parse is reported once (EXPRESSION_SYNTAX), not again as a string.
  if (problems.length > before) return undefined;
  if (template.kind === 'expr') return { kind: 'expression', parsed: { source: template.source, expr: template.expr }, offset: template.offset ?? 0 };
  if (template.kind === 'interpolation') return { kind: 'not-a-list', description: 'text with `${{ }}` inside, which is a string' };
  if (template.kind === 'literal') return { kind: 'not-a-list', description: describeLiteral(value) };
  return undefined;
}

/** An item of a literal `for_each` list: a scalar, or a string that is exactly one `${{ }}`. */
function literalListItem(item: unknown, path: DocPath, problems: ExpressionProblem[]): ExprNode | undefined {
  if (item === null || typeof item === 'number' || typeof item === 'boolean') return { kind: 'literal', value: item, start: 0 };
  if (typeof item === 'string') {
    const template = parseValue(item, path, problems);
    if (template.kind === 'expr') return template.expr;
    if (template.kind === 'literal') return { kind: 'literal', value: item, start: 0 };
  }
  problems.push({
    code: 'SCHEMA_INVALID',
    message: 'items of a literal `for_each` list must be strings, numbers, booleans or one `${{ }}` each: put structured items in an input',
    path,
  });
  return undefined;
}

function describeLiteral(value: unknown): string {
  if (value === null) return 'empty';
  if (typeof value === 'string') return `the string \`${value}\` (expressions are written \`\${{ ... }}\`)`;
  if (isRecord(value)) return 'a map';
  return `\`${String(value)}\``;
}

function parseValue(value: unknown, path: DocPath, problems: ExpressionProblem[]): Template {
  try {
    return parseTemplate(value);
  } catch (error) {
    // The parser stops at the first error; parse each string alone to report every one of them.
    collectLeafProblems(value, [...path], problems);
    if (!problems.some((p) => startsWith(p.path, path))) problems.push(toProblem(error, path, 0));
    return { kind: 'literal', value };
  }
}

function collectLeafProblems(value: unknown, path: (string | number)[], problems: ExpressionProblem[]): void {
  if (typeof value === 'string') {
    try {
      parseTemplate(value);
    } catch (error) {
      problems.push(toProblem(error, path, 0));
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => collectLeafProblems(item, [...path, i], problems));
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) collectLeafProblems(item, [...path, key], problems);
  }
}

function toProblem(error: unknown, path: DocPath, baseOffset: number): ExpressionProblem {
  if (!isUcopError(error)) throw error;
  const offset = typeof error.fields.offset === 'number' ? baseOffset + error.fields.offset : baseOffset;
  const inner = Array.isArray(error.fields.path) ? (error.fields.path as (string | number)[]) : [];
  const code: ErrorCode = error.code === 'UNKNOWN_FUNCTION' ? 'UNKNOWN_FUNCTION' : 'EXPRESSION_SYNTAX';
  return { code, message: error.message, path: [...path, ...inner], offset };
}

function locateTemplateReferences(template: Template, path: DocPath, field: LocatedReference['field']): LocatedReference[] {
  const found = templateReferences(template);
  const located = new Array<LocatedReference>(found.length);
  for (let k = 0; k < found.length; k += 1) {
    const ref = found[k]!;
    const reference: LocatedReference = { root: ref.root, start: ref.start, path: ref.path.length === 0 ? path : [...path, ...ref.path], offset: ref.offset, field };
    if (ref.name !== undefined) reference.name = ref.name;
    if (ref.member !== undefined) reference.member = ref.member;
    located[k] = reference;
  }
  return located;
}

function locate(expr: ExprNode, path: DocPath, offset: number, field: LocatedReference['field']): LocatedReference[] {
  return expressionReferences(expr).map((ref) => ({ ...ref, path, offset: offset + ref.start, field }));
}

function startsWith(path: DocPath, prefix: DocPath): boolean {
  return prefix.every((segment, i) => path[i] === segment);
}
