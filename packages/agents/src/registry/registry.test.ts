import { afterEach, describe, expect, it } from 'vitest';
import { isUcopError } from '@ucop/core';
import { createFakeContext } from '../testing/fake-context.ts';
import { schemaErrors } from '../testing/schema-assert.ts';
import { tempFiles, type TempFiles } from '../testing/temp-files.ts';
import { builtinAgents } from './builtin-agents.ts';
import { createAgentRegistry } from './create-agent-registry.ts';
import { isFileSpec, loadAgentPlugins } from './load-agent-plugins.ts';

let files: TempFiles | undefined;
afterEach(async () => {
  await files?.remove();
  files = undefined;
});

const agentSource = (name: string): string =>
  `{ name: '${name}', version: '1', description: 'test agent', inputSchema: { type: 'object' }, outputSchema: {}, estimateMs: 5, async run(_ctx, input) { return { echoed: input }; } }`;

const PLUGINS = {
  'plugins/echo.mjs': `export default ${agentSource('test.echo')};\n`,
  'plugins/pair.ts': `const a = ${agentSource('test.one')};\nconst b = ${agentSource('test.two')};\nexport default [a, b];\n`,
  'plugins/no-default.mjs': `export const agent = ${agentSource('test.named')};\n`,
  'plugins/not-agent.mjs': `export default { name: 'test.bad', version: '1', description: 'x', inputSchema: {}, outputSchema: {}, estimateMs: 1 };\n`,
  'plugins/bad-in-array.mjs': `export default [${agentSource('test.fine')}, 42];\n`,
  'plugins/throws.mjs': `throw new Error('boom at load');\n`,
  'plugins/dup.mjs': `export default ${agentSource('ingest.markdown')};\n`,
  'node_modules/ucop-plugin-hello/package.json': JSON.stringify({ name: 'ucop-plugin-hello', type: 'module', exports: { '.': './index.js' } }),
  'node_modules/ucop-plugin-hello/index.js': `export default ${agentSource('hello.world')};\n`,
};

async function pluginError(specs: string[]): Promise<unknown> {
  return loadAgentPlugins(specs, files!.dir).catch((e: unknown) => e);
}

describe('builtinAgents', () => {
  it("holds the blog pipeline's, the three pipelines' and core's simulation agents, with strict, valid schemas", () => {
    const agents = builtinAgents();
    expect(agents.map((a) => a.name).sort()).toEqual([
      'analyze.topics',
      'assemble.post',
      'backlog.decompose',
      'backlog.epics',
      'backlog.export',
      'backlog.tracker_export',
      'book.assemble',
      'book.continuity',
      'book.draft',
      'book.plan',
      'code.generate',
      'code.validate',
      'ingest.api_reference',
      'ingest.blog_archive',
      'ingest.markdown',
      'links.check',
      'llm.generate',
      'manuscript.analyze',
      'manuscript.assemble',
      'manuscript.check',
      'manuscript.expand',
      'manuscript.fix',
      'manuscript.polish',
      'manuscript.split',
      'seo.metadata',
      'sim.delay',
      'sim.noop',
      'writer.conclusion',
      'writer.introduction',
      'writer.outline',
      'writer.section',
    ]);
    for (const agent of agents.filter((a) => !a.name.startsWith('sim.'))) {
      // Compiling strictly throws on a malformed schema; an empty object is a valid instance of no schema here.
      expect(() => schemaErrors(agent.inputSchema, {}), agent.name).not.toThrow();
      expect(() => schemaErrors(agent.outputSchema, {}), agent.name).not.toThrow();
      expect(agent.description.length, agent.name).toBeGreaterThan(20);
      expect(agent.estimateMs, agent.name).toBeGreaterThan(0);
    }
  });
});

describe('loadAgentPlugins', () => {
  it('loads a file exporting one agent and a file exporting several, relative to the base directory', async () => {
    files = await tempFiles(PLUGINS);
    const agents = await loadAgentPlugins(['./plugins/echo.mjs', 'plugins/pair.ts'], files.dir);
    expect(agents.map((a) => a.name)).toEqual(['test.echo', 'test.one', 'test.two']);
    const fake = await createFakeContext();
    expect(await agents[0]!.run(fake.ctx, { a: 1 })).toEqual({ echoed: { a: 1 } });
  });

  it('loads an npm package from the base directory', async () => {
    files = await tempFiles(PLUGINS);
    expect((await loadAgentPlugins(['ucop-plugin-hello'], files.dir)).map((a) => a.name)).toEqual(['hello.world']);
  });

  it.each([
    [['./plugins/not-agent.mjs'], 'default export is not an agent: agent "test.bad": `run` must be a function'],
    [['./plugins/bad-in-array.mjs'], 'default export [1] is not an agent: expected an agent object, got number'],
    [['./plugins/no-default.mjs'], 'has no default export'],
    [['./plugins/missing.mjs'], 'cannot be loaded'],
    [['./plugins/throws.mjs'], 'cannot be loaded (boom at load)'],
    [['ucop-plugin-not-installed'], 'cannot be loaded'],
  ])('refuses %s with CONFIG_INVALID naming the plugin', async (specs, message) => {
    files = await tempFiles(PLUGINS);
    const error = await pluginError(specs);
    expect(isUcopError(error) && error.code).toBe('CONFIG_INVALID');
    expect(isUcopError(error) && error.message).toContain(`agent plugin "${specs[0]}"`);
    expect(isUcopError(error) && error.message).toContain(message);
    expect(isUcopError(error) && error.fields.plugin).toBe(specs[0]);
  });

  it('tells file specs from package names', () => {
    expect(['./a.ts', '../b.mjs', '/abs/c.js', 'plugins/d.ts'].every(isFileSpec)).toBe(true);
    expect(['ucop-plugin-x', '@scope/pkg'].some(isFileSpec)).toBe(false);
  });
});

describe('createAgentRegistry', () => {
  it('holds the built-ins and the plugins', async () => {
    files = await tempFiles(PLUGINS);
    const registry = await createAgentRegistry({ plugins: ['./plugins/echo.mjs'], baseDir: files.dir });
    expect(registry.get('test.echo')?.version).toBe('1');
    expect(registry.get('writer.section')).toBeDefined();
    expect(registry.names()).toHaveLength(32);
  });

  it('refuses a plugin that reuses a built-in name', async () => {
    files = await tempFiles(PLUGINS);
    const error = await createAgentRegistry({ plugins: ['./plugins/dup.mjs'], baseDir: files.dir }).catch((e: unknown) => e);
    expect(isUcopError(error) && error.code).toBe('CONFIG_INVALID');
    expect(isUcopError(error) && error.message).toContain('ingest.markdown');
  });
});
