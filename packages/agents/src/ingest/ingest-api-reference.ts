import { basename, extname } from 'node:path';
import { UcopError, loadYaml } from '@ucop/core';
import type { AgentContext, AgentDefinition } from '@ucop/core';
import { API_REFERENCE_SCHEMA, type ApiReference } from './api-reference.ts';
import { documentSources } from './article-sources.ts';
import { parseMarkdown } from './parse-markdown.ts';
import { readEachFile } from './read-each-file.ts';
import { readTextFile } from './read-text-file.ts';
import { referenceText, structuredReference } from './structured-reference.ts';
import { STATE_KEY_PROPERTY, writeSources } from './write-sources.ts';
import { SKIPPED_SCHEMA, type SkippedFile } from './skipped-file.ts';
import { plainText } from '../text/plain-text.ts';
import type { Source } from '../sources/source.ts';

export type IngestApiReferenceInput = {
  /** Directory of .md, .json, .yaml reference files; '' or a missing directory gives no sources. @default '' */
  dir?: string;
  /** @default 'sources' */
  state_key?: string;
};

export type IngestApiReferenceOutput = { dir: string; references: ApiReference[]; skipped: SkippedFile[] };

const EXTENSIONS = ['.md', '.markdown', '.json', '.yaml', '.yml'];

function markdownReference(text: string, path: string): { ref: ApiReference; sources: Source[] } {
  const doc = parseMarkdown(text, path);
  const ref: ApiReference = {
    path,
    format: 'markdown',
    title: doc.title,
    summary: plainText(doc.paragraphs[0]?.text ?? ''),
    symbols: doc.sections.map((s) => ({ name: s.title, kind: 'section', description: plainText(s.text.split('\n\n')[0] ?? '') })),
    examples: doc.code_blocks.map((b) => ({ lang: b.lang, code: b.code, title: b.section ?? doc.title, line: b.line })),
  };
  return { ref, sources: documentSources(doc, 'api') };
}

// The YAML loader workflows use (limits on size, depth and aliases; no `__proto__` keys). Its first
// problem becomes the reason the file is skipped.
function yamlData(text: string, path: string): unknown {
  const { value, diagnostics } = loadYaml(text, path);
  const problem = diagnostics[0];
  if (problem) throw new UcopError('AGENT_ERROR', `${path}:${problem.line}:${problem.col}: ${problem.code} ${problem.message}`, { fields: { path, yamlCode: problem.code } });
  return value;
}

function structuredFile(text: string, path: string, format: 'json' | 'yaml'): { ref: ApiReference; sources: Source[] } {
  const data: unknown = format === 'json' ? JSON.parse(text) : yamlData(text, path);
  const ref = structuredReference(data, path, format);
  const body = referenceText(ref);
  const sources: Source[] = body === '' ? [] : [{ id: `api:${basename(path)}`, title: ref.title, text: body, source: path, kind: 'api', role: 'reference' }];
  return { ref, sources };
}

async function readReference(ctx: AgentContext, file: string, shown: string): Promise<{ ref: ApiReference; sources: Source[] }> {
  const text = await readTextFile(file, ctx.signal, 'the API reference file');
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return structuredFile(text, shown, 'json');
  if (ext === '.yaml' || ext === '.yml') return structuredFile(text, shown, 'yaml');
  return markdownReference(text, shown);
}

/**
 * `ingest.api_reference`: reads the API reference files of a directory (markdown sections, or JSON/YAML
 * files listing options, methods, endpoints and examples). Without a directory there is nothing to read,
 * which is not a failure; a file that does not parse is skipped and reported.
 */
export const ingestApiReferenceAgent: AgentDefinition<IngestApiReferenceInput, IngestApiReferenceOutput> = {
  name: 'ingest.api_reference',
  version: '1',
  description: 'Reads API reference files (.md, .json, .yaml) from a directory into sources; no directory, no sources.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      dir: { type: 'string', default: '', description: "directory of reference files; '' or missing gives no sources" },
      state_key: STATE_KEY_PROPERTY,
    },
  },
  outputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['dir', 'references', 'skipped'],
    properties: { dir: { type: 'string' }, references: { type: 'array', items: API_REFERENCE_SCHEMA }, skipped: SKIPPED_SCHEMA },
  },
  estimateMs: 50,
  async run(ctx, input) {
    const dir = input.dir ?? '';
    const output: IngestApiReferenceOutput = { dir, references: [], skipped: [] };
    if (dir === '') return output;
    const sources: Source[] = [];
    output.skipped = await readEachFile(ctx, dir, EXTENSIONS, 'API reference file', async (file) => {
      const { ref, sources: found } = await readReference(ctx, file.path, file.shown);
      output.references.push(ref);
      sources.push(...found);
    });
    writeSources(ctx, input.state_key, sources);
    return output;
  },
};
