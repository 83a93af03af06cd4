import { describe, expect, it } from 'vitest';
import { ownSchemaAjv } from './json-schema-ajv.ts';
import { CONFIG_SCHEMA_CODES, schemaDiagnostics } from './schema-diagnostics.ts';
import { loadYaml } from './yaml-loader.ts';

const SCHEMA = {
  type: 'object',
  properties: {
    key_env: { description: 'The NAME of a variable.', type: 'string', pattern: '^[A-Z_]+$', writeOnly: true },
    kind: { enum: ['a', 'b'], writeOnly: true },
    name: { description: 'Lower case letters.', type: 'string', pattern: '^[a-z]+$' },
  },
};

function diagnose(source: string) {
  const loaded = loadYaml(source, 'f.yaml');
  const validate = ownSchemaAjv().compile(SCHEMA);
  expect(validate(loaded.value)).toBe(false);
  return schemaDiagnostics(validate.errors ?? [], loaded.value, loaded.sourceMap, CONFIG_SCHEMA_CODES);
}

describe('schemaDiagnostics', () => {
  it('repeats a wrong value, except where the schema says writeOnly (a secret may have been written there)', () => {
    const secret = 'sk-live-0123456789';
    const diagnostics = diagnose(`key_env: ${secret}\nkind: ${secret}\nname: Bob\n`);
    expect(diagnostics.map((d) => [d.code, d.line, d.message, d.hint])).toEqual([
      ['CONFIG_INVALID', 1, '`key_env` is not valid: the NAME of a variable', undefined],
      ['CONFIG_INVALID', 2, '`kind` must be one of `a`, `b`', undefined],
      ['CONFIG_INVALID', 3, '`name` is `Bob`, which is not valid: lower case letters', undefined],
    ]);
    expect(diagnose(`key_env: [${secret}]\n`)[0]?.message).toBe('`key_env` must be a string');
  });

  it('cuts a long list of allowed values, and still suggests the closest one', () => {
    const many = Array.from({ length: 20 }, (_, i) => `value_${String(i).padStart(2, '0')}`);
    const loaded = loadYaml('pick: value_1x\n', 'f.yaml');
    const validate = ownSchemaAjv().compile({ type: 'object', properties: { pick: { enum: many } } });
    expect(validate(loaded.value)).toBe(false);
    const [d] = schemaDiagnostics(validate.errors ?? [], loaded.value, loaded.sourceMap, CONFIG_SCHEMA_CODES);
    expect(d?.message).toBe('`pick` must be one of `value_00`, `value_01`, `value_02`, `value_03`, `value_04`, `value_05`, `value_06`, `value_07`, … (20 values), not `value_1x`');
    expect(d?.hint).toMatch(/did you mean `value_1\d`\?/);
  });
});
