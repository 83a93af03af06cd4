import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../errors/diagnostic.ts';
import { loadWorkflowFile, validateWorkflowSource } from './validate-workflow.ts';
import { BLOG_WORKFLOW, blogAgents } from './testing/fake-agents.ts';
import { positionOf } from './testing/positions.ts';
import type { YamlSourceMap } from './yaml-source-map.ts';
import { rows, validateSteps } from './testing/workflow-fixture.ts';

const agents = blogAgents();

describe('validateWorkflowSource', () => {
  it('accepts the blog pipeline of the issue and returns the document with defaults filled', () => {
    const { workflow, diagnostics } = validateWorkflowSource(BLOG_WORKFLOW, 'blog.yaml', { agents });
    expect(diagnostics).toEqual([]);
    expect(workflow?.document.name).toBe('blog_generation');
    expect(Object.keys(workflow!.document.steps)).toEqual([
      'kb_ingestion', 'api_ingestion', 'blog_ingestion', 'outline', 'section', 'code_generation', 'code_validation', 'assemble',
    ]);
    expect(workflow?.document.env).toEqual({});
    expect(workflow?.sourceMap.locateKey(['steps', 'outline'])).toEqual(positionOf(BLOG_WORKFLOW, 'outline:'));
  });

  it('lets the yaml Document of a valid workflow go, and parses it again for a position asked later', () => {
    const { workflow } = validateWorkflowSource(BLOG_WORKFLOW, 'blog.yaml', { agents });
    const sourceMap = workflow!.sourceMap as YamlSourceMap;
    expect(sourceMap.documentParsed).toBe(false);
    expect(sourceMap.locateKey(['steps', 'assemble'])).toEqual(positionOf(BLOG_WORKFLOW, 'assemble:'));
    expect(sourceMap.documentParsed).toBe(true);
  });

  it('treats a section left empty (all lines commented out) as absent', () => {
    const { diagnostics } = validateSteps('  a: { agent: code.validate }\n', { extra: 'outputs:\n  # none yet\n' });
    expect(diagnostics).toEqual([]);
  });

  it('reports every problem of a file at once, sorted by line and column', () => {
    const steps = [
      '  a: { agent: code.validat, needs: [b], timeout: 5 }',
      '  b: { agent: code.validate, needs: [zz], with: { x: "${{ inputs.nope }}" } }',
      '  c: { agent: code.validate, writes: [nothing], agnet: x }',
      '',
    ].join('\n');
    const { diagnostics, workflow } = validateSteps(steps);
    expect(workflow).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toEqual(['UNKNOWN_AGENT', 'BAD_DURATION', 'UNKNOWN_NEEDS', 'UNKNOWN_INPUT_REF', 'STATE_KEY_NOT_WRITABLE', 'UNKNOWN_KEY']);
    const sorted = [...diagnostics].sort((x, y) => x.line - y.line || x.col - y.col);
    expect(diagnostics).toEqual(sorted);
  });

  it('prints diagnostics as file:line:col: CODE message (hint)', () => {
    const { diagnostics, source } = validateSteps('  a: { agent: code.validat }\n');
    const pos = positionOf(source, 'code.validat');
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      `wf.yaml:${pos.line}:${pos.col}: UNKNOWN_AGENT step \`a\` uses the agent \`code.validat\`, which is not registered (see \`ucop agents\`) (did you mean \`code.validate\`?)`,
    ]);
  });

  it('passes loader errors through and stops there', () => {
    const { diagnostics } = validateWorkflowSource('version: 1\nversion: 1\n', 'dup.yaml', { agents });
    expect(rows(diagnostics)).toEqual([['YAML_DUPLICATE_KEY', 2, 1, 'duplicate key `version`: each key may appear once in a map (first at line 1)', undefined]]);
  });

  it('applies the loader limits given in the options', () => {
    const { diagnostics } = validateWorkflowSource(BLOG_WORKFLOW, 'blog.yaml', { agents, limits: { maxBytes: 100 } });
    expect(diagnostics.map((d) => d.code)).toEqual(['YAML_TOO_LARGE']);
  });
});

describe('schema checks', () => {
  it('SCHEMA_INVALID: a missing required key, at the map that lacks it', () => {
    const source = 'version: 1\nname: x\nsteps:\n  a: { needs: [] }\n';
    const { diagnostics } = validateWorkflowSource(source, 'wf.yaml', { agents });
    expect(rows(diagnostics)).toEqual([['SCHEMA_INVALID', 4, 3, '`steps.a` is missing the required key `agent`', 'or give it `steps:` (a group) or `uses:` (a workflow file)']]);
  });

  it('SCHEMA_INVALID: wrong types, enums with a suggestion, bad names, version', () => {
    const source = [
      'version: 2',
      'name: Blog',
      'state:',
      '  title: { reducer: replce }',
      'steps:',
      '  Bad_Step: { agent: code.validate }',
      '  ok: { agent: code.validate, max_parallel: many, needs: outline }',
      '',
    ].join('\n');
    const { diagnostics } = validateWorkflowSource(source, 'wf.yaml', { agents });
    const at = (needle: string) => Object.values(positionOf(source, needle));
    expect(rows(diagnostics)).toEqual([
      ['SCHEMA_INVALID', ...at('2'), '`version` must be 1, not 2', undefined],
      ['SCHEMA_INVALID', ...at('Blog'), '`name` is `Blog`, which is not valid: use lower case letters, digits and underscores, starting with a letter', undefined],
      ['SCHEMA_INVALID', ...at('replce'), '`state.title.reducer` must be one of `append`, `merge`, `replace`, `sum`, `union`, not `replce`', 'did you mean `replace`?'],
      ['SCHEMA_INVALID', ...at('Bad_Step'), '`Bad_Step` is not a valid name in `steps`: use lower case letters, digits and underscores, starting with a letter', undefined],
      ['SCHEMA_INVALID', ...at('many'), '`steps.ok.max_parallel` must be an integer, not the string `many`', undefined],
      ['SCHEMA_INVALID', ...at('outline'), '`steps.ok.needs` must be a list, not the string `outline`', undefined],
    ]);
  });

  it('UNKNOWN_KEY: at the key, with a did-you-mean or the new name of a renamed key', () => {
    const source = [
      'version: 1',
      'name: x',
      'config:',
      '  maxParallel: 3',
      '  retries: 2',
      'steps:',
      '  a:',
      '    agent: code.validate',
      '    depends_on: [b]',
      '    timout: 30s',
      '    concurrency: { group: llm, limt: 3 }',
      '  b: { agent: code.validate }',
      'extra: true',
      '',
    ].join('\n');
    const { diagnostics } = validateWorkflowSource(source, 'wf.yaml', { agents });
    const at = (needle: string) => Object.values(positionOf(source, needle));
    expect(rows(diagnostics)).toEqual([
      ['UNKNOWN_KEY', ...at('maxParallel'), 'unknown key `maxParallel` in `config`', '`maxParallel` was renamed to `max_parallel`'],
      ['UNKNOWN_KEY', ...at('retries'), 'unknown key `retries` in `config`', '`retries` was renamed to `retry.attempts`: write `retry: { attempts: ... }`'],
      ['UNKNOWN_KEY', ...at('depends_on'), 'unknown key `depends_on` in `steps.a`', '`depends_on` was renamed to `needs`'],
      ['UNKNOWN_KEY', ...at('timout'), 'unknown key `timout` in `steps.a`', 'did you mean `timeout`?'],
      // `limt` is not `limit`, so the group has no limit either: both are reported.
      [
        'UNKNOWN_CONCURRENCY_GROUP',
        ...at('llm'),
        'step `a` joins the concurrency group `llm`, which has no limit: add `config.concurrency.llm: { limit: N }` or write `concurrency: { group: llm, limit: N }`',
        undefined,
      ],
      ['UNKNOWN_KEY', ...at('limt'), 'unknown key `limt` in `steps.a.concurrency`', 'did you mean `limit`?'],
      ['UNKNOWN_KEY', ...at('extra'), 'unknown key `extra` at the top level', undefined],
    ]);
  });

  it('SCHEMA_INVALID: the default of an input must have the input type', () => {
    const source = 'version: 1\nname: x\ninputs:\n  n: { type: integer, default: many }\nsteps:\n  a: { agent: code.validate }\n';
    const { diagnostics } = validateWorkflowSource(source, 'wf.yaml', { agents });
    expect(rows(diagnostics)).toEqual([['SCHEMA_INVALID', ...Object.values(positionOf(source, 'many')), 'the default of input `n` must be integer (it is declared as integer)', undefined]]);
  });
});

describe('loadWorkflowFile', () => {
  it('FILE_NOT_FOUND at 1:1 for a missing file', async () => {
    const result = await loadWorkflowFile('/nonexistent/wf.yaml', { agents });
    expect(result).toEqual({
      diagnostics: [{ file: '/nonexistent/wf.yaml', line: 1, col: 1, code: 'FILE_NOT_FOUND', message: 'the workflow file does not exist: check the path' }],
    });
  });

  it('says a directory is a directory, and how to name its files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ucop-wf-dir-'));
    const result = await loadWorkflowFile(dir, { agents });
    expect(result.diagnostics).toEqual([{ file: dir, line: 1, col: 1, code: 'FILE_NOT_FOUND', message: `${dir} is a directory: give the workflow files in it, e.g. \`${join(dir, '*.yaml')}\`` }]);
  });

  it('loads and validates a file; refuses an oversized one without reading it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ucop-wf-'));
    const path = join(dir, 'blog.yaml');
    await writeFile(path, BLOG_WORKFLOW);
    expect((await loadWorkflowFile(path, { agents })).workflow?.file).toBe(path);
    const big = await loadWorkflowFile(path, { agents, limits: { maxBytes: 10 } });
    expect(big.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['YAML_TOO_LARGE', 1, 1]]);
  });
});
