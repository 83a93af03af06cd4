import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { UcopError, type AgentDefinition } from '@ucop/core';
import { listFiles } from '../ingest/list-files.ts';
import { readTextFile } from '../ingest/read-text-file.ts';
import { CHAPTER_SCHEMA, type Chapter } from './chapter.ts';
import { chapterFromFile, splitManuscript } from './split-manuscript.ts';

export type ManuscriptSplitInput = {
  /** A markdown manuscript, or a directory of chapter files (read in name order). */
  path: string;
  /** Fewer chapters than this is an error (a manuscript without chapter headings). @default 1 */
  min_chapters?: number;
};

export type ManuscriptSplitOutput = { title: string; front: string; source: string; chapters: Chapter[] };

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** `manuscript.split`: a manuscript (one file with chapter headings, or a directory of chapters) into chapters. */
export const manuscriptSplitAgent: AgentDefinition<ManuscriptSplitInput, ManuscriptSplitOutput> = {
  name: 'manuscript.split',
  version: '1',
  description: 'Splits a markdown manuscript (one file with chapter headings, or a directory of chapter files) into chapters.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'a markdown manuscript, or a directory of chapter files (read in name order)' },
      min_chapters: { type: 'integer', minimum: 1, default: 1, description: 'fewer chapters than this is an error' },
    },
  },
  outputSchema: {
    type: 'object',
    required: ['title', 'front', 'source', 'chapters'],
    properties: { title: { type: 'string' }, front: { type: 'string' }, source: { type: 'string' }, chapters: { type: 'array', items: CHAPTER_SCHEMA } },
  },
  estimateMs: 20,
  async run(ctx, input) {
    let out: ManuscriptSplitOutput;
    if (await isDirectory(input.path)) {
      const files = await listFiles(input.path, ['.md', '.markdown'], ctx.signal, 0);
      const chapters: Chapter[] = [];
      for (const file of files) {
        const text = await readTextFile(file, ctx.signal, 'a chapter file');
        chapters.push(chapterFromFile(text, chapters.length + 1, basename(file).replace(/\.(md|markdown)$/i, '')));
      }
      out = { title: basename(input.path), front: '', source: input.path, chapters };
    } else {
      const split = splitManuscript(await readTextFile(input.path, ctx.signal, 'the manuscript'));
      out = { ...split, title: split.title || basename(input.path).replace(/\.(md|markdown)$/i, ''), source: input.path };
    }
    const min = input.min_chapters ?? 1;
    if (out.chapters.length < min) {
      throw new UcopError('AGENT_ERROR', `${input.path} has ${out.chapters.length} chapter(s), fewer than ${min}: give chapters "## " headings (or one file per chapter in a directory)`, { retryable: false });
    }
    ctx.logger.info(`manuscript: ${out.chapters.length} chapters`, { chapters: out.chapters.length });
    return out;
  },
};
