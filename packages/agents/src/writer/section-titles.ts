/** A section named by its title, or an outline entry that has one. */
export type SectionRef = string | { title: string; [key: string]: unknown };

/** Accepts a list of titles or writer.outline's sections as they are, so a workflow needs no mapping. */
export const SECTION_REFS_SCHEMA = {
  type: 'array',
  items: { anyOf: [{ type: 'string' }, { type: 'object', required: ['title'], properties: { title: { type: 'string' } } }] },
  default: [],
  description: "the post's sections: titles, or writer.outline's sections",
} as const;

export function sectionTitles(refs: readonly SectionRef[] | undefined): string[] {
  return (refs ?? []).map((r) => (typeof r === 'string' ? r : r.title)).filter((t) => t.trim() !== '');
}
