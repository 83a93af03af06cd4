import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it, expect } from 'vitest';
import { MAIN_CONFIG_SCHEMA } from '../config/main-config-schema.ts';
import { AGENT_SCHEMA_AJV_OPTIONS, OWN_SCHEMA_AJV_OPTIONS, WORKFLOW_SCHEMA } from './json-schema-ajv.ts';
import { loadPrecompiledModule, precompiledKey } from './precompiled-validators.ts';
import type { PrecompiledModule } from './precompiled-validators.ts';
import type { JsonSchema } from './workflow-document.ts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';

/**
 * The build's standalone validators (scripts/precompile-schemas.ts; the unit project's global setup builds
 * first) must be the schemas of these sources, and report what the run-time compiled ones report.
 */
const built = (pkg: string): PrecompiledModule => {
  const from = pathToFileURL(resolve(import.meta.dirname, `../../../${pkg}/dist/index.js`)).href;
  const module = loadPrecompiledModule(from, './generated/schema-validators.cjs');
  if (!module) throw new Error(`packages/${pkg} is not built: run npm run build`);
  return module;
};

function precompiled(module: PrecompiledModule, key: string): ValidateFunction {
  const name = Object.entries(module.keys).find(([, k]) => k === key)?.[0];
  if (!name) throw new Error(`no precompiled validator for ${key.slice(0, 80)}...: the build is stale (npm run build)`);
  return module[name] as ValidateFunction;
}

const summary = (errors: readonly ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => ({ instancePath: e.instancePath, keyword: e.keyword, params: e.params, message: e.message, schemaPath: e.schemaPath }));

describe('precompiled schema validators', () => {
  const core = built('core');

  it('exist for the workflow and main configuration schemas of these sources', () => {
    expect(Object.values(core.keys)).toContain(precompiledKey('own', WORKFLOW_SCHEMA));
    expect(Object.values(core.keys)).toContain(precompiledKey('own', MAIN_CONFIG_SCHEMA));
  });

  it.each([
    ['a valid workflow', { version: 1, name: 'x', steps: { a: { agent: 'sim.noop' } } }],
    ['a wrong version and an unknown key', { version: 2, name: 'x', stepz: {}, steps: { a: { agent: 'sim.noop' } } }],
    ['a step with wrong types', { version: 1, name: 'x', steps: { a: { agent: 1, needs: 'b', retry: { attempts: 0 } } } }],
    ['no steps', { version: 1, name: 'x' }],
  ])('report what the run-time validator reports for %s', (_label, value) => {
    const runtime = new Ajv2020({ ...OWN_SCHEMA_AJV_OPTIONS }).compile(WORKFLOW_SCHEMA);
    const fast = precompiled(core, precompiledKey('own', WORKFLOW_SCHEMA));
    expect(fast(value)).toBe(runtime(value));
    expect(summary(fast.errors)).toEqual(summary(runtime.errors));
  });

  it("report what the lenient run-time validator reports for a built-in agent's input", async () => {
    const agents = built('agents');
    const { builtinAgents } = (await import(pathToFileURL(resolve(import.meta.dirname, '../../../agents/dist/index.js')).href)) as {
      builtinAgents(): { name: string; inputSchema: JsonSchema }[];
    };
    const markdown = builtinAgents().find((a) => a.name === 'ingest.markdown')!;
    const { $schema: _ignored, ...schema } = markdown.inputSchema;
    const fast = precompiled(agents, precompiledKey('agent', schema));
    const runtime = new Ajv2020({ ...AGENT_SCHEMA_AJV_OPTIONS }).compile(schema);
    for (const value of [{ path: 'a.md' }, { path: 3, extra: true }, {}]) {
      expect(fast(value)).toBe(runtime(value));
      expect(summary(fast.errors)).toEqual(summary(runtime.errors));
    }
  });
});
