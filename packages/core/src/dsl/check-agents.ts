import type { Template } from '../expr/index.ts';
import type { CheckContext } from './check-context.ts';
import { reporter } from './check-context.ts';
import { didYouMeanHint } from './did-you-mean.ts';
import { agentSchemaValidator } from './json-schema-ajv.ts';
import type { ErrorObject, ValidateFunction } from './json-schema-ajv.ts';
import { schemaDiagnostics } from './schema-diagnostics.ts';
import type { JsonSchema } from './workflow-document.ts';
import { isRecord } from './workflow-normalize.ts';
import { stepList } from './step-entries.ts';

/**
 * UNKNOWN_AGENT and AGENT_INPUT_INVALID: each step names a registered agent, and its `with` matches the
 * agent's input schema as far as can be known before the run: literal values are checked, values that are
 * expressions are unknown (their keys count as present), text with `${{ }}` inside is a string.
 */
export function checkAgents(ctx: CheckContext): void {
  const stepsWithBadExpressions = new Set(ctx.expressions.problems.map((p) => String(p.path[1])));
  const { ids, specs } = stepList(ctx.doc);
  const byIndex = ctx.expressions.byIndex;
  // Whether each agent accepts an input known to be `{}` (`with: {}`, or only keys whose values are
  // expressions): computed once per agent, not once per step.
  const acceptsEmpty = new Map<ValidateFunction, boolean>();
  for (let i = 0; i < ids.length; i += 1) {
    const id = ids[i]!;
    const step = specs[i]!;
    if (step.agent === '') continue; // missing or not a string: the schema check said so
    const agent = ctx.agents.get(step.agent);
    if (!agent) {
      reporter(ctx).at('UNKNOWN_AGENT', ['steps', id, 'agent'], `step \`${id}\` uses the agent \`${step.agent}\`, which is not registered (see \`ucop agents\`)`, didYouMeanHint(step.agent, ctx.agents.names()));
      continue;
    }
    const template = byIndex[i]?.with;
    if (!template || stepsWithBadExpressions.has(id)) continue;
    checkInput(ctx, id, agent.name, agent.inputSchema, template, acceptsEmpty);
  }
}

function checkInput(ctx: CheckContext, id: string, agentName: string, schema: JsonSchema, template: Template, acceptsEmpty: Map<ValidateFunction, boolean>): void {
  const validate = agentSchemaValidator(schema);
  if (!validate) return;
  // `with: {}` or none: nothing to probe.
  if (template.kind === 'object' && template.entries.length === 0 && acceptsEmpty.get(validate) === true) return;
  const probe = probeOf(template, '');
  const value = probe.known ? probe.value : {};
  // The validator is compiled once per agent schema (agentSchemaValidator caches it); a valid input, the
  // usual case, costs one call (none for an empty input the agent was seen to accept) and builds no
  // diagnostics.
  const empty = isEmptyObject(value);
  let valid = empty ? acceptsEmpty.get(validate) : undefined;
  if (valid === undefined) {
    valid = validate(value);
    if (empty) acceptsEmpty.set(validate, valid);
  }
  let errors: ErrorObject[] = [];
  if (!valid) {
    validate(value); // again when the answer came from acceptsEmpty: its errors are those of the last call
    errors = (validate.errors ?? []).filter((e) => !coveredByUnknown(e, probe));
  }
  if (errors.length > 0) {
    const diagnostics = schemaDiagnostics(errors, value, ctx.sourceMap, { invalid: 'AGENT_INPUT_INVALID', unknownKey: 'AGENT_INPUT_INVALID' }, ['steps', id, 'with']);
    for (const d of diagnostics) d.message = `${d.message} (input of agent \`${agentName}\`)`;
    ctx.diagnostics.push(...diagnostics);
  }
  if (probe.unknown.length === 0 && probe.strings.length === 0) return;

  // Keys whose value is an expression were left out of the probe: check that the agent knows them.
  const properties = isRecord(schema.properties) ? schema.properties : {};
  if (schema.additionalProperties === false) {
    for (const pointers of [probe.unknown, probe.strings]) {
      for (const pointer of pointers) {
        const key = pointer.slice(1);
        if (key.includes('/') || Object.hasOwn(properties, key)) continue;
        reporter(ctx).atKey('AGENT_INPUT_INVALID', ['steps', id, 'with', key], `unknown key \`${key}\` in \`steps.${id}.with\` (input of agent \`${agentName}\`)`, didYouMeanHint(key, Object.keys(properties)));
      }
    }
  }
  for (const pointer of probe.strings) {
    const key = pointer.slice(1);
    const type = isRecord(properties[key]) ? (properties[key] as { type?: unknown }).type : undefined;
    const types = Array.isArray(type) ? type : type === undefined ? undefined : [type];
    if (types && !types.includes('string')) {
      reporter(ctx).at(
        'AGENT_INPUT_INVALID',
        ['steps', id, 'with', key],
        `\`steps.${id}.with.${key}\` is text with \`\${{ }}\` inside, which is a string, but agent \`${agentName}\` expects ${types.join(' or ')}: write the expression alone to keep its type`,
      );
    }
  }
}

function isEmptyObject(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const _ in value) return false;
  return true;
}

interface Probe {
  known: boolean;
  value: unknown;
  /** JSON pointers of values only known at run time. */
  unknown: string[];
  /** JSON pointers of interpolated text: a string, content unknown. */
  strings: string[];
}

/** The literal part of a `with` template, and where the parts known only at run time are. */
function probeOf(t: Template, pointer: string): Probe {
  switch (t.kind) {
    case 'literal':
      return { known: true, value: t.value, unknown: [], strings: [] };
    case 'expr':
      return { known: false, value: undefined, unknown: [pointer], strings: [] };
    case 'interpolation':
      return { known: false, value: undefined, unknown: [], strings: [pointer] };
    case 'array': {
      const items = t.items.map((item, i) => probeOf(item, `${pointer}/${i}`));
      // Leaving an item out would shift the others: a list with any unknown item is unknown as a whole.
      if (items.some((item) => !item.known)) return { known: false, value: undefined, unknown: [pointer], strings: [] };
      return { known: true, value: items.map((item) => item.value), unknown: [], strings: [] };
    }
    case 'object': {
      const value: Record<string, unknown> = {};
      const unknown: string[] = [];
      const strings: string[] = [];
      for (const [key, entry] of t.entries) {
        const probe = probeOf(entry, `${pointer}/${escapePointer(key)}`);
        if (probe.known) value[key] = probe.value;
        unknown.push(...probe.unknown);
        strings.push(...probe.strings);
      }
      return { known: true, value, unknown, strings };
    }
  }
}

function coveredByUnknown(error: ErrorObject, probe: Probe): boolean {
  if (error.keyword !== 'required') return false;
  const missing = `${error.instancePath}/${escapePointer(String((error.params as { missingProperty?: unknown }).missingProperty))}`;
  return probe.unknown.includes(missing) || probe.strings.includes(missing);
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
