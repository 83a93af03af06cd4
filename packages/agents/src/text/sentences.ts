/**
 * Splits prose into sentences. A boundary is `.`, `!` or `?` (plus closing quotes or brackets), then
 * whitespace, then something that can start a sentence; abbreviations and positions inside a code span or
 * a link target are not boundaries, so "e.g. `a.b`" and "[see](./docs/a.md)" stay whole.
 */
const ABBREVIATIONS = new Set(['e.g', 'i.e', 'etc', 'vs', 'cf', 'mr', 'mrs', 'ms', 'dr', 'no', 'fig', 'approx', 'incl']);
const BOUNDARY = /[.!?]["'”’)\]]*\s+(?=["'“‘`*_([]?[\p{Lu}\p{N}`*_"'“‘[(])/gu;

function insideCodeOrLinkTarget(text: string, index: number): boolean {
  const before = text.slice(0, index);
  const ticks = (before.match(/`/g) ?? []).length;
  if (ticks % 2 === 1) return true;
  const open = before.lastIndexOf('](');
  return open !== -1 && before.indexOf(')', open) === -1;
}

function endsWithAbbreviation(text: string, dot: number): boolean {
  const word = /([\p{L}.]+)$/u.exec(text.slice(0, dot))?.[1]?.toLowerCase();
  return word !== undefined && (ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word));
}

/** Sentences of one paragraph (or of several: blank lines always end a sentence), trimmed, in order. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const flat = paragraph.replace(/\s+/g, ' ').trim();
    if (flat === '') continue;
    let start = 0;
    for (const match of flat.matchAll(BOUNDARY)) {
      const dot = match.index;
      if (flat[dot] === '.' && endsWithAbbreviation(flat, dot)) continue;
      if (insideCodeOrLinkTarget(flat, dot)) continue;
      const end = dot + match[0].trimEnd().length;
      out.push(flat.slice(start, end).trim());
      start = dot + match[0].length;
    }
    const rest = flat.slice(start).trim();
    if (rest !== '') out.push(rest);
  }
  return out;
}
