import { basename } from 'node:path';
import { UcopError, type AgentDefinition } from '@ucop/core';
import { readTextFile } from '../ingest/read-text-file.ts';
import { BOOK_PLAN_SCHEMA, planFromOutline, type BookPlan } from './chapter-plan.ts';

export type BookPlanInput = {
  /** The outline: `# Title`, optional `author:` line and premise, one `## ` heading per chapter with a summary and bullet points. */
  path: string;
  /** Keep only the first N chapters (0: all). @default 0 */
  chapters?: number;
};

/** `book.plan`: the chapter plan of an outline (titles, summaries, beats, names per chapter). */
export const bookPlanAgent: AgentDefinition<BookPlanInput, BookPlan> = {
  name: 'book.plan',
  version: '1',
  description: 'Reads a markdown outline into a chapter plan: one chapter per "## " heading with its summary, beats (bullet points) and names.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'the outline (markdown)' },
      chapters: { type: 'integer', minimum: 0, default: 0, description: 'keep only the first N chapters; 0 keeps all' },
    },
  },
  outputSchema: BOOK_PLAN_SCHEMA,
  estimateMs: 20,
  async run(ctx, input) {
    const plan = planFromOutline(await readTextFile(input.path, ctx.signal, 'the outline'), basename(input.path).replace(/\.md$/i, ''));
    if (plan.chapters.length === 0) {
      throw new UcopError('AGENT_ERROR', `${input.path} has no chapters: give each chapter a "## " heading with a summary and bullet points`, { retryable: false });
    }
    const keep = input.chapters ?? 0;
    return keep > 0 ? { ...plan, chapters: plan.chapters.slice(0, keep) } : plan;
  },
};
