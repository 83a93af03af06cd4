/**
 * Which heading is the document's title and which depth starts a top-level section: a sole leading `#`
 * heading is the title, and sections start at the smallest depth among the other headings (2 when there
 * are none). Shared by the markdown parser and by writer.outline's fallback, so both cut alike.
 */
export function sectionLayout(headings: readonly { depth: number }[]): { titleIndex: number; sectionDepth: number } {
  const first = headings[0];
  const h1Count = headings.filter((h) => h.depth === 1).length;
  const titleIndex = first?.depth === 1 && h1Count === 1 ? 0 : -1;
  const rest = headings.filter((_, i) => i !== titleIndex).map((h) => h.depth);
  return { titleIndex, sectionDepth: rest.length > 0 ? Math.min(...rest) : 2 };
}

/** The section-level headings, in order (the title excluded). */
export function sectionHeadings<H extends { depth: number }>(headings: readonly H[]): H[] {
  const { titleIndex, sectionDepth } = sectionLayout(headings);
  return headings.filter((h, i) => i !== titleIndex && h.depth <= sectionDepth);
}
