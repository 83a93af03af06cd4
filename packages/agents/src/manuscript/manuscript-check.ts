import { UcopError, type AgentDefinition } from '@ucop/core';
import { CHAPTER_SCHEMA, type Chapter } from './chapter.ts';
import { analyseBook } from './chapter-analysis.ts';
import { crossChapterFlags } from './cross-checks.ts';
import { FLAG_SCHEMA, type Flag } from './flag.ts';
import { proseSentences } from './prose.ts';
import { withOverrides } from './with-overrides.ts';

export type ManuscriptCheckInput = {
  chapters: Chapter[];
  /** Newer versions of some chapters (fix outputs): each replaces the chapter of the same index. @default [] */
  overrides?: Chapter[];
  /** Guard: more open flags than this fails the step (the old editor's limit). @default 100 */
  max_flags?: number;
  /** Open flags before this check (a re-check after fixes): `progress` says whether there are fewer now. @default -1 (unknown) */
  previous_open?: number;
};

export type ManuscriptCheckOutput = {
  flags: Flag[];
  /** Chapters that have at least one flag, in order: the fix tasks. */
  flagged: { chapter: Chapter; flags: Flag[] }[];
  by_kind: Record<string, number>;
  checked: number;
  /** Fewer open flags than `previous_open` (true when that is unknown): the loop's no-progress guard reads it. */
  progress: boolean;
};

/**
 * `manuscript.check`: the cross-chapter checks over the whole manuscript: a name spelled two ways, a date or a
 * count that contradicts an earlier chapter. Each flag names the chapter to fix, the chapter it contradicts,
 * and quotes both sentences.
 */
export const manuscriptCheckAgent: AgentDefinition<ManuscriptCheckInput, ManuscriptCheckOutput> = {
  name: 'manuscript.check',
  version: '1',
  description: 'Cross-chapter checks: name variants, dates and counts that contradict an earlier chapter; one flag per problem, grouped by the chapter to fix.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['chapters'],
    properties: {
      chapters: { type: 'array', items: CHAPTER_SCHEMA, description: 'every chapter of the manuscript: { index, title, text }' },
      overrides: { type: 'array', items: CHAPTER_SCHEMA, default: [], description: 'newer versions of some chapters (fix outputs), replacing those of the same index' },
      max_flags: { type: 'integer', minimum: 1, default: 100, description: 'guard: more open flags than this fails the step' },
      previous_open: { type: 'integer', minimum: -1, default: -1, description: 'open flags before this re-check; -1 when unknown (progress is then true)' },
    },
  },
  outputSchema: {
    type: 'object',
    required: ['flags', 'flagged', 'by_kind', 'checked', 'progress'],
    properties: {
      flags: { type: 'array', items: FLAG_SCHEMA },
      flagged: { type: 'array', items: { type: 'object', required: ['chapter', 'flags'], properties: { chapter: CHAPTER_SCHEMA, flags: { type: 'array', items: FLAG_SCHEMA } } } },
      by_kind: { type: 'object', additionalProperties: { type: 'integer' } },
      checked: { type: 'integer' },
      progress: { type: 'boolean' },
    },
  },
  estimateMs: 50,
  async run(ctx, input) {
    const chapters = withOverrides(input.chapters, input.overrides ?? []);
    const analyses = analyseBook(chapters, ctx.signal);
    const texts = new Map(chapters.map((c) => [c.index, proseSentences(c.text)]));
    const flags = crossChapterFlags(analyses, texts);
    const max = input.max_flags ?? 100;
    if (flags.length > max) {
      throw new UcopError('AGENT_ERROR', `${flags.length} open flags, over the guard of ${max} (max_flags): the manuscript needs an editor before another pass`, { fields: { flags: flags.length, max } });
    }
    const by_kind: Record<string, number> = {};
    for (const f of flags) by_kind[f.kind] = (by_kind[f.kind] ?? 0) + 1;
    const flagged = chapters.filter((c) => flags.some((f) => f.chapter === c.index)).map((chapter) => ({ chapter, flags: flags.filter((f) => f.chapter === chapter.index) }));
    ctx.logger.info(`checks: ${flags.length} flag(s) in ${flagged.length} chapter(s)`, { by_kind });
    const previous = input.previous_open ?? -1;
    return { flags, flagged, by_kind, checked: chapters.length, progress: previous < 0 || flags.length < previous };
  },
};
