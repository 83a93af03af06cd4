/**
 * A GitHub-style heading anchor / URL slug: lower case, letters and digits, words joined by `-`. Accents
 * are folded to ASCII so that slugs survive in URLs.
 */
export function slugify(text: string, maxLength = 80): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9\s-]/g, '')
    .trim()
    .replace(/[\s-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= maxLength) return slug;
  const cut = slug.slice(0, maxLength);
  const dash = cut.lastIndexOf('-');
  return dash > maxLength / 2 ? cut.slice(0, dash) : cut;
}

/** Gives repeated slugs the suffixes `-1`, `-2`, ... the way markdown renderers number duplicate headings. */
export class SlugRegistry {
  readonly #seen = new Map<string, number>();

  unique(text: string): string {
    const base = slugify(text) || 'section';
    const count = this.#seen.get(base) ?? 0;
    this.#seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  }
}
