import { chapterNames } from '../manuscript/names.ts';
import { proseSentences } from '../manuscript/prose.ts';

/** One chapter of the plan made from the outline. */
export type PlannedChapter = {
  index: number;
  title: string;
  /** What happens, from the outline's paragraph. */
  summary: string;
  /** The outline's bullet points: what the chapter must establish. */
  beats: string[];
  /** Names the outline gives this chapter. */
  names: string[];
};

export type BookPlan = { title: string; author: string; premise: string; chapters: PlannedChapter[] };

export const PLANNED_CHAPTER_SCHEMA = {
  type: 'object',
  required: ['index', 'title', 'summary', 'beats', 'names'],
  properties: {
    index: { type: 'integer', minimum: 1 },
    title: { type: 'string' },
    summary: { type: 'string' },
    beats: { type: 'array', items: { type: 'string' } },
    names: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const BOOK_PLAN_SCHEMA = {
  type: 'object',
  required: ['title', 'author', 'premise', 'chapters'],
  properties: { title: { type: 'string' }, author: { type: 'string' }, premise: { type: 'string' }, chapters: { type: 'array', items: PLANNED_CHAPTER_SCHEMA } },
} as const;

/** The title without a leading `Chapter N:` (the assembly numbers chapters itself). */
function bareTitle(title: string): string {
  return title.replace(/^chapter\s+\w+\s*[:.—-]\s*/i, '').trim() || title;
}

/**
 * The chapter plan of a markdown outline: `# Title`, an optional `author:` line and premise paragraph, then
 * one `## ` heading per chapter with a summary paragraph and bullet points (the beats). Names are found
 * the way the manuscript checks find them, knowing the names of the whole outline.
 */
export function planFromOutline(markdown: string, fallbackTitle: string): BookPlan {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let title = fallbackTitle;
  let author = '';
  const premise: string[] = [];
  const chapters: { title: string; body: string[] }[] = [];
  for (const line of lines) {
    const h1 = /^#\s+(.+)$/.exec(line);
    const h2 = /^##\s+(.+)$/.exec(line);
    if (h1 && chapters.length === 0) title = h1[1]!.trim();
    else if (h2) chapters.push({ title: h2[1]!.trim(), body: [] });
    else if (chapters.length > 0) chapters.at(-1)!.body.push(line);
    else if (/^author:\s*/i.test(line)) author = line.replace(/^author:\s*/i, '').trim();
    else premise.push(line);
  }
  const parsed = chapters.map((c, i) => {
    const beats = c.body.filter((l) => /^\s*[-*+]\s+/.test(l)).map((l) => l.replace(/^\s*[-*+]\s+/, '').trim());
    const summary = c.body.filter((l) => !/^\s*[-*+]\s+/.test(l)).join('\n').trim().replace(/\s+/g, ' ');
    return { index: i + 1, title: bareTitle(c.title), summary, beats };
  });
  const sentencesOf = (c: { summary: string; beats: string[] }) => proseSentences([c.summary, ...c.beats].join('\n\n'));
  const known = new Set(parsed.flatMap((c) => Object.keys(chapterNames(sentencesOf(c)))));
  return {
    title,
    author,
    premise: premise.join('\n').trim().replace(/\s+/g, ' '),
    chapters: parsed.map((c) => ({ ...c, names: Object.keys(chapterNames(sentencesOf(c), known)) })),
  };
}
