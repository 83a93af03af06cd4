import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { WORKFLOW_SCHEMA } from './json-schema-ajv.ts';

/** Every `properties` entry of the schema, with its path, for the description check. */
function properties(node: unknown, path: string, out: [string, Record<string, unknown>][]): [string, Record<string, unknown>][] {
  if (Array.isArray(node)) node.forEach((item, i) => properties(item, `${path}/${i}`, out));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties') for (const [name, schema] of Object.entries(value as object)) out.push([`${path}/properties/${name}`, schema]);
      properties(value, `${path}/${key}`, out);
    }
  }
  return out;
}

describe('workflow.schema.json', () => {
  it('is a valid draft 2020-12 schema under strict mode', () => {
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    expect(() => ajv.compile(WORKFLOW_SCHEMA)).not.toThrow();
  });

  it('describes every property, for editor autocompletion', () => {
    const missing = properties(WORKFLOW_SCHEMA, '#', [])
      .filter(([, schema]) => typeof schema.description !== 'string')
      .map(([path]) => path);
    expect(missing).toEqual([]);
  });

  it('closes every object: additionalProperties is false or a schema', () => {
    const open = properties(WORKFLOW_SCHEMA, '#', []).filter(([, s]) => s.type === 'object' && s.additionalProperties === undefined && s.properties !== undefined);
    expect(open).toEqual([]);
  });

  it('lists every step key of the DSL', () => {
    const step = (WORKFLOW_SCHEMA.$defs as Record<string, { properties: object }>).step!;
    expect(Object.keys(step.properties).sort()).toEqual(
      ['agent', 'concurrency', 'continue_on_error', 'description', 'estimate', 'expect', 'expected_items', 'fallback', 'follow_up', 'for_each', 'if', 'max_parallel', 'needs', 'outputs', 'provider', 'repeat', 'retry', 'steps', 'timeout', 'uses', 'with', 'writes', 'rate_limit', 'breaker', 'providers', 'batch', 'workers'].sort(),
    );
  });
});
