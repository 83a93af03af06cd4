import type { OutlineSection } from './outline.ts';

/** What could be read from a model's outline answer. */
export interface ParsedOutline {
  title?: string;
  sections: OutlineSection[];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function fromJson(value: unknown): ParsedOutline | undefined {
  const record = Array.isArray(value) ? { sections: value } : value;
  if (typeof record !== 'object' || record === null) return undefined;
  const { title, sections } = record as Record<string, unknown>;
  if (!Array.isArray(sections)) return undefined;
  const out: OutlineSection[] = [];
  for (const item of sections) {
    if (typeof item === 'string' && item.trim() !== '') {
      out.push({ title: item.trim(), summary: '', key_points: [] });
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    const s = item as Record<string, unknown>;
    const points = s.key_points ?? s.keyPoints ?? s.points ?? s.bullets;
    const sectionTitle = str(s.title) || str(s.heading) || str(s.name);
    if (sectionTitle === '') continue;
    out.push({
      title: sectionTitle,
      summary: str(s.summary) || str(s.description),
      key_points: Array.isArray(points) ? points.map(str).filter((p) => p !== '') : [],
    });
  }
  const parsed: ParsedOutline = { sections: out };
  if (str(title) !== '') parsed.title = str(title);
  return parsed;
}

/** The JSON object in an answer: a ```json fence's content, else the span from the first `{` or `[`. */
function jsonCandidate(text: string): string | undefined {
  const fenced = /```(?:json|JSON)?[ \t]*\n([\s\S]*?)```/.exec(text);
  if (fenced?.[1]) return fenced[1];
  const start = text.search(/[[{]/);
  if (start === -1) return undefined;
  const close = text[start] === '{' ? '}' : ']';
  const end = text.lastIndexOf(close);
  return end > start ? text.slice(start, end + 1) : undefined;
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*$/;
const NUMBERED = /^\d+[.)]\s+(.+)$/;
const BULLET = /^[-*+]\s+(.+)$/;
const LABEL = /^(summary|key points?|points|description)\s*:\s*/i;

function cleanTitle(text: string): string {
  return text.replace(/^\*\*(.+)\*\*$/, '$1').replace(/^(section\s+\d+\s*[:.-]\s*)/i, '').trim();
}

/**
 * Reads a markdown outline: an optional `# title`, then sections as `## heading` (any depth below the
 * title) or top-level numbered lines, each followed by summary prose and `- ` key points.
 */
function fromMarkdown(text: string): ParsedOutline {
  const parsed: ParsedOutline = { sections: [] };
  let current: { title: string; summary: string[]; key_points: string[] } | undefined;
  const flush = (): void => {
    if (current) parsed.sections.push({ title: current.title, summary: current.summary.join(' ').trim(), key_points: current.key_points });
  };
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (line === '' || /^```/.test(line)) continue;
    const heading = HEADING.exec(line);
    if (heading) {
      if (heading[1] === '#' && parsed.title === undefined && parsed.sections.length === 0 && !current) {
        parsed.title = cleanTitle(heading[2]!);
        continue;
      }
      flush();
      current = { title: cleanTitle(heading[2]!), summary: [], key_points: [] };
      continue;
    }
    const numbered = /^\s/.test(raw) ? null : NUMBERED.exec(line);
    if (numbered) {
      flush();
      current = { title: cleanTitle(numbered[1]!), summary: [], key_points: [] };
      continue;
    }
    if (!current) continue;
    const bullet = BULLET.exec(line);
    if (bullet) current.key_points.push(bullet[1]!.replace(LABEL, '').trim());
    else if (!/^key points?\s*:?\s*$/i.test(line)) current.summary.push(line.replace(LABEL, ''));
  }
  flush();
  return parsed;
}

/**
 * Reads an outline from a model's answer, whatever shape it took: a JSON object (bare, fenced, or inside
 * prose) with `title` and `sections`, or a markdown outline. Titles are de-duplicated; sections without
 * a title are dropped. Returns no sections when nothing outline-like was found.
 */
export function parseOutline(text: string): ParsedOutline {
  const candidate = jsonCandidate(text);
  let parsed: ParsedOutline | undefined;
  if (candidate !== undefined) {
    try {
      parsed = fromJson(JSON.parse(candidate));
    } catch {
      parsed = undefined;
    }
  }
  if (!parsed || parsed.sections.length === 0) parsed = fromMarkdown(text);
  const seen = new Set<string>();
  parsed.sections = parsed.sections.filter((s) => {
    const key = s.title.toLowerCase();
    if (s.title === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return parsed;
}
