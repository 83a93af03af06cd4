import type { AgentDefinition } from '@ucop/core';
import { CHAPTER_ANALYSIS_SCHEMA, type ChapterAnalysis } from './chapter-analysis.ts';
import { CHAPTER_SCHEMA, type Chapter } from './chapter.ts';
import { FLAG_SCHEMA, type Flag } from './flag.ts';
import type { ManuscriptExpandOutput } from './manuscript-expand.ts';
import type { ManuscriptFixOutput } from './manuscript-fix.ts';
import type { ManuscriptPolishOutput } from './manuscript-polish.ts';
import { renderReport, type ChapterReport } from './manuscript-report.ts';
import { withOverrides } from './with-overrides.ts';

export type ManuscriptAssembleInput = {
  title: string;
  /** Text before the first chapter. @default '' */
  front?: string;
  /** The edited chapters (polish outputs, with their `changes`). */
  chapters: (Chapter & Partial<Pick<ManuscriptPolishOutput, 'changes'>>)[];
  /** Fix outputs, in the order they were made: the last of an index replaces its chapter; all their fixes are reported. @default [] */
  fixed?: ManuscriptFixOutput[];
  analyses?: ChapterAnalysis[];
  expansions?: Pick<ManuscriptExpandOutput, 'index' | 'note' | 'offline'>[];
  /** The flags the checks found. @default [] */
  flags?: Flag[];
  /** The flags still open after the last re-check. @default [] */
  remaining?: Flag[];
  /** Output file names, relative to the run's output directory. */
  manuscript_file?: string;
  report_file?: string;
};

export type ManuscriptAssembleOutput = {
  manuscript: string;
  report: string;
  report_json: string;
  chapters: number;
  flags_found: number;
  flags_fixed: number;
  flags_open: number;
  offline: boolean;
};

const LOOSE_LIST = { type: 'array', items: { type: 'object' }, default: [] } as const;

/** `manuscript.assemble`: writes the edited manuscript and the per-chapter report (markdown and JSON). */
export const manuscriptAssembleAgent: AgentDefinition<ManuscriptAssembleInput, ManuscriptAssembleOutput> = {
  name: 'manuscript.assemble',
  version: '1',
  description: 'Writes the edited manuscript (fixed chapters in place of their polished versions) and the per-chapter report of what was measured, found and fixed.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['title', 'chapters'],
    properties: {
      title: { type: 'string', description: "the manuscript's title (its level-1 heading)" },
      front: { type: 'string', default: '', description: 'text before the first chapter, kept as it is' },
      chapters: { type: 'array', items: CHAPTER_SCHEMA, description: 'the edited chapters (polish outputs, with their changes)' },
      fixed: { type: 'array', items: CHAPTER_SCHEMA, default: [], description: 'fix outputs: each replaces the chapter of the same index' },
      analyses: { type: 'array', items: CHAPTER_ANALYSIS_SCHEMA, default: [], description: 'manuscript.analyze outputs, for the report' },
      expansions: { ...LOOSE_LIST, description: 'manuscript.expand outputs, for the report' },
      flags: { type: 'array', items: FLAG_SCHEMA, default: [], description: 'the flags the checks found' },
      remaining: { type: 'array', items: FLAG_SCHEMA, default: [], description: 'the flags still open after the last re-check' },
      manuscript_file: { type: 'string', minLength: 1, default: 'manuscript.md', description: 'file of the edited manuscript, in the output directory' },
      report_file: { type: 'string', minLength: 1, default: 'report.md', description: 'file of the report (and its .json twin), in the output directory' },
    },
  },
  outputSchema: {
    type: 'object',
    required: ['manuscript', 'report', 'report_json', 'chapters', 'flags_found', 'flags_fixed', 'flags_open', 'offline'],
    properties: {
      manuscript: { type: 'string' }, report: { type: 'string' }, report_json: { type: 'string' },
      chapters: { type: 'integer' }, flags_found: { type: 'integer' }, flags_fixed: { type: 'integer' }, flags_open: { type: 'integer' }, offline: { type: 'boolean' },
    },
  },
  estimateMs: 30,
  async run(ctx, input) {
    const fixed = input.fixed ?? [];
    const final = withOverrides(input.chapters, fixed);
    const flags = input.flags ?? [];
    const remaining = input.remaining ?? [];
    const expansions = input.expansions ?? [];
    const offline = expansions.some((e) => e.offline);
    const reports: ChapterReport[] = final.map((c) => {
      const polished = input.chapters.find((p) => p.index === c.index);
      return {
        index: c.index,
        title: c.title,
        ...(input.analyses?.find((a) => a.index === c.index) ? { analysis: input.analyses.find((a) => a.index === c.index)! } : {}),
        ...(polished?.changes ? { polish: polished.changes } : {}),
        ...(expansions.find((e) => e.index === c.index) ? { expansion: expansions.find((e) => e.index === c.index)!.note } : {}),
        flags: flags.filter((f) => f.chapter === c.index),
        fixes: fixed.filter((f) => f.index === c.index).flatMap((f) => f.fixes),
        remaining: remaining.filter((f) => f.chapter === c.index),
      };
    });
    const body = [`# ${input.title}`, ...(input.front ? ['', input.front] : []), ...final.flatMap((c) => ['', `## ${c.title}`, '', c.text]), ''].join('\n');
    const manuscriptFile = input.manuscript_file ?? 'manuscript.md';
    const reportFile = input.report_file ?? 'report.md';
    const jsonFile = reportFile.replace(/\.md$/, '') + '.json';
    const manuscript = await ctx.artifacts.write(manuscriptFile, body, ctx.signal);
    const report = await ctx.artifacts.write(reportFile, renderReport(input.title, reports, offline), ctx.signal);
    const flagsFixed = reports.reduce((n, c) => n + c.fixes.filter((f) => f.applied).length, 0);
    const summary = { title: input.title, offline, flags_found: flags.length, flags_fixed: flagsFixed, flags_open: remaining.length, chapters: reports };
    const reportJson = await ctx.artifacts.write(jsonFile, `${JSON.stringify(summary, null, 2)}\n`, ctx.signal);
    return { manuscript, report, report_json: reportJson, chapters: final.length, flags_found: flags.length, flags_fixed: flagsFixed, flags_open: remaining.length, offline };
  },
};
