/**
 * Block scalars (`|`, `>`, with an optional `-` or `+` chomping indicator) for the subset parser
 * (yaml-subset-parser.ts), with the values `yaml` gives them. The rarer forms give `undefined` so that the
 * file goes to the full parser: an explicit indentation indicator, an empty scalar, leading blank lines
 * wider than the text, lines of spaces wider than the text, and more-indented lines in a folded scalar.
 */

/** A block scalar's value and the index of the first line after it (or the end of the text). */
export interface BlockScalar {
  value: string;
  next: number;
}

/** How the end of a block scalar is kept: `clip` one line break, `strip` none, `keep` all. */
export type Chomping = 'clip' | 'strip' | 'keep';

/**
 * Reads the content of a block scalar whose header line ends at `headerEnd` (a line break or the end of
 * the text). Its lines must be indented deeper than `ownerIndent`, the indentation of the collection that
 * holds it; the first line with text sets the indentation of the others.
 */
export function readBlockScalar(src: string, headerEnd: number, ownerIndent: number, folded: boolean, chomping: Chomping): BlockScalar | undefined {
  const lines: string[] = [];
  let indent = -1;
  let widestLeadingBlank = 0;
  let p = headerEnd + 1;
  let endsWithBreak = true;
  while (p < src.length) {
    let s = p;
    while (src.charCodeAt(s) === 0x20) s++;
    const lineEnd = lineEndAt(src, s);
    const spaces = s - p;
    if (s === lineEnd) {
      if (indent < 0) widestLeadingBlank = Math.max(widestLeadingBlank, spaces);
      else if (spaces > indent) return undefined;
      lines.push('');
    } else {
      if (indent < 0) {
        if (spaces <= ownerIndent) break;
        indent = spaces;
        if (widestLeadingBlank > indent) return undefined;
      } else if (spaces < indent) {
        break;
      }
      lines.push(src.slice(p + indent, lineEnd));
    }
    endsWithBreak = lineEnd < src.length;
    p = lineEnd + 1;
  }
  if (indent < 0) return undefined;
  let last = lines.length - 1;
  while (lines[last] === '') last--;
  const body = lines.slice(0, last + 1);
  const text = folded ? fold(body) : body.join('\n');
  if (text === undefined) return undefined;
  const next = Math.min(p, src.length);
  if (chomping === 'strip') return { value: text, next };
  if (chomping === 'clip') return { value: text + '\n', next };
  // Keeping the trailing breaks of a scalar that ends the file without one is left to the full parser.
  if (!endsWithBreak) return undefined;
  return { value: text + '\n'.repeat(lines.length - last), next };
}

/** Folds lines: one break between two text lines becomes a space, a run of n blank lines n breaks. */
function fold(body: readonly string[]): string | undefined {
  let out = '';
  let blanks = 0;
  let started = false;
  for (const line of body) {
    if (line === '') {
      blanks++;
      continue;
    }
    // A more-indented line keeps its breaks: that rule is left to the full parser.
    if (line.charCodeAt(0) === 0x20) return undefined;
    out += started && blanks === 0 ? ' ' : '\n'.repeat(blanks);
    out += line;
    started = true;
    blanks = 0;
  }
  return out;
}

function lineEndAt(src: string, from: number): number {
  const end = src.indexOf('\n', from);
  return end < 0 ? src.length : end;
}
