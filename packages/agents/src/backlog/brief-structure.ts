import { splitSentences } from '../text/sentences.ts';
import { plainText } from '../text/plain-text.ts';

/** A section of the brief: a heading and the lines under it, with where it starts. */
export type Section = { title: string; line: number; body: string };

/** The sections under headings of `depth` (`##` = 2) in a piece of markdown; `offset` is its first line's number. */
export function sectionsAt(markdown: string, depth: number, offset = 1): { before: string; sections: Section[] } {
  const lines = markdown.split('\n');
  const marker = new RegExp(`^#{${depth}}\\s+(.+?)\\s*#*\\s*$`);
  const sections: Section[] = [];
  const before: string[] = [];
  let fenced = false;
  lines.forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : marker.exec(line);
    if (m) sections.push({ title: plainText(m[1]!), line: offset + i, body: '' });
    else if (sections.length > 0) sections.at(-1)!.body += `${line}\n`;
    else before.push(line);
  });
  return { before: before.join('\n').trim(), sections: sections.map((s) => ({ ...s, body: s.body.trim() })) };
}

/** A requirement: a list item, or a sentence that says what must, should or can happen. */
export type Requirement = { text: string; line: number };

const MODAL = /\b(must|shall|should|can|will|needs? to|is able to|are able to|has to|have to)\b/i;

/**
 * The requirements of a section: each list item (nested items belong to theirs), and each sentence of the
 * prose paragraphs that has a modal verb. Headings and code are not requirements.
 */
export function requirementsOf(body: string, offset = 1): Requirement[] {
  const out: Requirement[] = [];
  const lines = body.split('\n');
  let paragraph: { text: string; line: number } | undefined;
  const flush = () => {
    if (paragraph === undefined) return;
    for (const s of splitSentences(plainText(paragraph.text))) if (MODAL.test(s)) out.push({ text: s, line: paragraph.line });
    paragraph = undefined;
  };
  let fenced = false;
  lines.forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced || /^\s*(```|~~~)/.test(line) || /^#{1,6}\s/.test(line)) return flush();
    const item = /^([-*+]|\d+[.)])\s+(.+)$/.exec(line);
    if (item) {
      flush();
      out.push({ text: plainText(item[2]!), line: offset + i });
    } else if (/^\s+([-*+]|\d+[.)])\s+/.test(line) || (line.trim() !== '' && /^\s{2,}/.test(line) && out.length > 0 && paragraph === undefined)) {
      const last = out.at(-1);
      if (last) last.text += ` ${plainText(line.replace(/^\s+([-*+]|\d+[.)])\s+/, ''))}`;
    } else if (line.trim() === '') flush();
    else paragraph = paragraph === undefined ? { text: line, line: offset + i } : { ...paragraph, text: `${paragraph.text} ${line}` };
  });
  flush();
  return out;
}

/** A requirement split at its modal verb: who (`Members`), the modal (`can`), what (`cancel a booking ...`). */
export function splitRequirement(text: string): { actor: string; modal: string; action: string } {
  const m = MODAL.exec(text);
  if (m === null) return { actor: 'the user', modal: '', action: text.replace(/[.!]$/, '') };
  const actor = text.slice(0, m.index).trim().replace(/^(a|an|the|any)\s+/i, (a) => a.toLowerCase()) || 'the user';
  let action = text.slice(m.index + m[0].length).trim().replace(/[.!]$/, '');
  action = action.replace(/^be able to\s+/i, '');
  return { actor: actor.replace(/^\p{Lu}(?=\p{Ll})/u, (c) => c.toLowerCase()), modal: m[1]!.toLowerCase(), action };
}
