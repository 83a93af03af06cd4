import { chapterNames } from '../manuscript/names.ts';
import { proseSentences } from '../manuscript/prose.ts';
import type { PlannedChapter } from './chapter-plan.ts';

/** A chapter already written, as the continuity context reads it. */
export type WrittenChapter = { index: number; title: string; text: string };

/** What earlier chapters established, for one chapter. */
export type Continuity = {
  index: number;
  /** `plan`: from the plan of earlier chapters; `written`: from the earlier chapters' drafts as well. */
  mode: 'plan' | 'written';
  /** Each earlier chapter (within the window) and what it established, most recent last. */
  established: { chapter: number; title: string; facts: string[] }[];
  /** Names already introduced, with the chapter that introduced each. */
  introduced: { name: string; chapter: number }[];
  /** The names this chapter's plan uses that no earlier chapter introduced. */
  new_names: string[];
  /** The end of the previous chapter's draft (mode `written`), to carry the scene on. */
  previous_ending: string;
};

export const CONTINUITY_SCHEMA = {
  type: 'object',
  required: ['index', 'mode', 'established', 'introduced', 'new_names', 'previous_ending'],
  properties: {
    index: { type: 'integer' },
    mode: { enum: ['plan', 'written'] },
    established: { type: 'array', items: { type: 'object', required: ['chapter', 'title', 'facts'], properties: { chapter: { type: 'integer' }, title: { type: 'string' }, facts: { type: 'array', items: { type: 'string' } } } } },
    introduced: { type: 'array', items: { type: 'object', required: ['name', 'chapter'], properties: { name: { type: 'string' }, chapter: { type: 'integer' } } } },
    new_names: { type: 'array', items: { type: 'string' } },
    previous_ending: { type: 'string' },
  },
} as const;

function ending(text: string, sentences = 2): string {
  return proseSentences(text).slice(-sentences).join(' ');
}

/**
 * The continuity context of chapter `index`: what the earlier chapters (the last `window`, 0 for all)
 * established according to the plan (their summary and beats) and, when drafts are given, according to
 * what was actually written (the names as the drafts spell them, the previous chapter's last lines).
 */
export function continuityFor(plan: readonly PlannedChapter[], index: number, window: number, written: readonly WrittenChapter[] = []): Continuity {
  const earlier = plan.filter((c) => c.index < index && (window === 0 || c.index >= index - window));
  const drafts = new Map(written.map((w) => [w.index, w]));
  const established = earlier.map((c) => {
    const draft = drafts.get(c.index);
    return { chapter: c.index, title: c.title, facts: [c.summary, ...c.beats, ...(draft ? [`(as written) ${ending(draft.text, 1)}`] : [])].filter((f) => f !== '') };
  });
  const introduced = new Map<string, number>();
  for (const c of plan.filter((p) => p.index < index)) {
    const draft = drafts.get(c.index);
    const names = draft ? Object.keys(chapterNames(proseSentences(draft.text), new Set(c.names))) : c.names;
    for (const name of [...c.names, ...names]) if (!introduced.has(name)) introduced.set(name, c.index);
  }
  const own = plan.find((c) => c.index === index)?.names ?? [];
  const previous = drafts.get(index - 1);
  return {
    index,
    mode: written.length > 0 ? 'written' : 'plan',
    established,
    introduced: [...introduced].map(([name, chapter]) => ({ name, chapter })),
    new_names: own.filter((n) => !introduced.has(n)),
    previous_ending: previous ? ending(previous.text) : '',
  };
}

/** The continuity as a context document for the writer (and the prompt). */
export function continuityText(c: Continuity): string {
  const lines = c.established.map((e) => `Chapter ${e.chapter} (${e.title}): ${e.facts.join(' ')}`);
  if (c.introduced.length > 0) lines.push(`Already introduced: ${c.introduced.map((i) => `${i.name} (chapter ${i.chapter})`).join(', ')}.`);
  if (c.new_names.length > 0) lines.push(`Introduced in this chapter: ${c.new_names.join(', ')}.`);
  if (c.previous_ending !== '') lines.push(`The previous chapter ended: ${c.previous_ending}`);
  return lines.join('\n');
}
