import type { Chapter } from './chapter.ts';

/** The chapters in order, each replaced by the override of the same index when there is one (a fixed chapter). */
export function withOverrides(chapters: readonly Chapter[], overrides: readonly Chapter[]): Chapter[] {
  const byIndex = new Map(overrides.map((c) => [c.index, c]));
  return [...chapters]
    .sort((a, b) => a.index - b.index)
    .map((c) => {
      const o = byIndex.get(c.index);
      return o === undefined ? { index: c.index, title: c.title, text: c.text } : { index: o.index, title: o.title, text: o.text };
    });
}
