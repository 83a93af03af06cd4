import { basename, extname } from 'node:path';
import { createRequire } from 'node:module';
import type * as Marked from 'marked';
import type { Token, Tokens } from 'marked';

// marked is loaded on the first parse (Node 24 requires an ES module synchronously): every command imports
// the built-in agents, and only runs that ingest markdown need the parser.
const require = createRequire(import.meta.url);
let loadedMarked: typeof Marked | undefined;
function markedModule(): typeof Marked {
  loadedMarked ??= require('marked') as typeof Marked;
  return loadedMarked;
}
import { splitFrontMatter } from './front-matter.ts';
import { sectionLayout } from './section-layout.ts';
import { SlugRegistry } from '../text/slug.ts';
import { countWords, plainText } from '../text/plain-text.ts';
import type { CodeBlock, DocumentLink, DocumentSection, Heading, LinkKind, MarkdownDocument, Paragraph } from './markdown-document.ts';

interface Located {
  token: Token;
  line: number;
}

interface OpenSection {
  title: string;
  slug: string;
  depth: number;
  line: number;
  parts: string[];
}

function newlines(text: string): number {
  let n = 0;
  for (const ch of text) if (ch === '\n') n++;
  return n;
}

/** Top-level tokens with the file line each starts on (marked keeps `raw`, which concatenates to the source). */
function locate(tokens: readonly Token[], firstLine: number): Located[] {
  let line = firstLine;
  return tokens.map((token) => {
    const leading = /^\n*/.exec(token.raw)?.[0].length ?? 0;
    const located = { token, line: line + leading };
    line += newlines(token.raw);
    return located;
  });
}

/** Line of `needle` inside a token's raw text, searching from `from`; falls back to the token's own line. */
function lineOf(raw: string, needle: string, tokenLine: number, from = 0): { line: number; next: number } {
  const at = needle === '' ? -1 : raw.indexOf(needle, from);
  if (at === -1) return { line: tokenLine, next: from };
  return { line: tokenLine + newlines(raw.slice(0, at)), next: at + needle.length };
}

/** Inline markdown on one line; a list item gets a full stop so that it reads as a sentence. */
function flatten(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function asSentence(text: string): string {
  return /[.!?:;]["'”’)]*$/.test(text) ? text : `${text}.`;
}

export function linkKind(href: string): LinkKind {
  if (href.startsWith('#')) return 'anchor';
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return 'external';
  return 'relative';
}

function listItemTexts(list: Tokens.List): { text: string; raw: string }[] {
  const out: { text: string; raw: string }[] = [];
  for (const item of list.items) {
    const own = item.tokens.filter((t) => t.type === 'text' || t.type === 'paragraph').map((t) => flatten((t as Tokens.Text).text));
    const text = own.join(' ').trim();
    if (text !== '') out.push({ text: asSentence(text), raw: item.raw });
    for (const nested of item.tokens) if (nested.type === 'list') out.push(...listItemTexts(nested as Tokens.List));
  }
  return out;
}

/**
 * Parses a markdown article with marked's lexer: front matter, title, heading hierarchy, paragraphs (list
 * items and quotes count as paragraphs), code blocks with their language and line, links, and the prose
 * of each top-level section. Pure: the caller reads the file.
 */
export function parseMarkdown(text: string, path: string): MarkdownDocument {
  const { data, body, bodyLine } = splitFrontMatter(text, path);
  const located = locate(markedModule().Lexer.lex(body), bodyLine);
  const headingTokens = located.map((l) => l.token).filter((t): t is Tokens.Heading => t.type === 'heading');
  const { titleIndex, sectionDepth } = sectionLayout(headingTokens);

  const slugs = new SlugRegistry();
  const headings: Heading[] = [];
  const paragraphs: Paragraph[] = [];
  const codeBlocks: CodeBlock[] = [];
  const links: DocumentLink[] = [];
  const sections: OpenSection[] = [];
  const leadParts: string[] = [];
  let current: OpenSection | null = null;
  let headingIndex = -1;

  const addProse = (textPart: string, line: number): void => {
    paragraphs.push({ text: textPart, line, section: current?.title ?? null });
    (current?.parts ?? leadParts).push(textPart);
  };

  for (const { token, line } of located) {
    collectLinks(token, line, links);
    switch (token.type) {
      case 'heading': {
        const heading = token as Tokens.Heading;
        headingIndex++;
        const textPlain = plainText(heading.text);
        let parent: number | null = null;
        for (let i = headings.length - 1; i >= 0; i--) {
          if (headings[i]!.depth < heading.depth) {
            parent = i;
            break;
          }
        }
        const slug = slugs.unique(textPlain);
        headings.push({ depth: heading.depth, text: textPlain, slug, line, parent });
        if (headingIndex !== titleIndex && heading.depth <= sectionDepth) {
          current = { title: textPlain, slug, depth: heading.depth, line, parts: [] };
          sections.push(current);
        }
        break;
      }
      case 'paragraph': {
        const text = flatten((token as Tokens.Paragraph).text);
        // A paragraph of images alone has no prose to quote (its links are still collected above).
        if (!/^(?:!\[[^\]]*\]\([^)]*\)\s*)+$/.test(text)) addProse(text, line);
        break;
      }
      case 'blockquote':
        addProse(flatten((token as Tokens.Blockquote).text.replace(/^\s*>\s?/gm, '')), line);
        break;
      case 'list': {
        let cursor = 0;
        for (const item of listItemTexts(token as Tokens.List)) {
          const at = lineOf(token.raw, item.raw, line, cursor);
          cursor = at.next;
          addProse(item.text, at.line);
        }
        break;
      }
      case 'code': {
        const code = token as Tokens.Code;
        const lang = (code.lang ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
        codeBlocks.push({ index: codeBlocks.length, lang, code: code.text, line, section: current?.title ?? null });
        break;
      }
      default:
        break;
    }
  }

  const titleHeading = titleIndex === 0 ? headings[0]?.text : undefined;
  const fmTitle = typeof data.title === 'string' && data.title.trim() !== '' ? data.title.trim() : undefined;
  const title = fmTitle ?? titleHeading ?? basename(path, extname(path));
  const allProse = [...leadParts, ...sections.flatMap((s) => s.parts)];
  return {
    path,
    title,
    front_matter: data,
    headings,
    paragraphs,
    code_blocks: codeBlocks,
    links,
    lead: leadParts.join('\n\n'),
    sections: sections.map((s): DocumentSection => ({ title: s.title, slug: s.slug, depth: s.depth, line: s.line, text: s.parts.join('\n\n') })),
    words: countWords(plainText(allProse.join(' '))),
  };
}

function collectLinks(token: Token, line: number, into: DocumentLink[]): void {
  let cursor = 0;
  markedModule().marked.walkTokens([token], (t) => {
    if (t.type !== 'link' && t.type !== 'image') return;
    const link = t as Tokens.Link | Tokens.Image;
    const at = lineOf(token.raw, link.raw, line, cursor);
    cursor = at.next;
    into.push({ href: link.href, text: plainText(link.text), line: at.line, kind: linkKind(link.href), image: t.type === 'image' });
  });
}
