import type { Chapter } from './chapter.ts';

const CHAPTER_HEADING = /^(#{1,2})\s+(.+?)\s*#*\s*$/;

/**
 * Splits one markdown manuscript into chapters. A level-1 heading followed by level-2 headings is the
 * book's title with its chapters; a file with only level-1 headings (or only level-2) has one chapter per
 * heading. Text before the first chapter heading is the front matter, kept apart. Fenced code is skipped.
 */
export function splitManuscript(markdown: string): { title: string; front: string; chapters: Chapter[] } {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const headings: { line: number; depth: number; text: string }[] = [];
  let fenced = false;
  lines.forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) return;
    const m = CHAPTER_HEADING.exec(line);
    if (m) headings.push({ line: i, depth: m[1]!.length, text: m[2]! });
  });
  const h1 = headings.filter((h) => h.depth === 1);
  const h2 = headings.filter((h) => h.depth === 2);
  const bookTitle = h1.length === 1 && h2.length > 0 ? h1[0]! : undefined;
  const chapterDepth = bookTitle !== undefined || h1.length === 0 ? 2 : 1;
  const starts = headings.filter((h) => h.depth === chapterDepth);
  const chapters: Chapter[] = starts.map((h, i) => {
    const end = starts[i + 1]?.line ?? lines.length;
    return { index: i + 1, title: h.text, text: lines.slice(h.line + 1, end).join('\n').trim() };
  });
  const firstLine = starts[0]?.line ?? lines.length;
  const frontStart = bookTitle === undefined ? 0 : bookTitle.line + 1;
  return { title: bookTitle?.text ?? '', front: lines.slice(frontStart, firstLine).join('\n').trim(), chapters };
}

/** One chapter file: its first heading (any level) is the title, else the file name gives it. */
export function chapterFromFile(markdown: string, index: number, fallbackTitle: string): Chapter {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const at = lines.findIndex((l) => /^#{1,6}\s+\S/.test(l));
  if (at === -1) return { index, title: fallbackTitle, text: markdown.trim() };
  const title = lines[at]!.replace(/^#{1,6}\s+/, '').replace(/\s*#*\s*$/, '');
  return { index, title, text: [...lines.slice(0, at), ...lines.slice(at + 1)].join('\n').trim() };
}
