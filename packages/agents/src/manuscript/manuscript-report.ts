import type { ChapterAnalysis } from './chapter-analysis.ts';
import type { FixOutcome } from './apply-fixes.ts';
import type { Flag } from './flag.ts';
import type { PolishChanges } from './polish-text.ts';

/** Everything the report says about one chapter. */
export type ChapterReport = {
  index: number;
  title: string;
  analysis?: ChapterAnalysis;
  polish?: PolishChanges;
  expansion?: string;
  flags: Flag[];
  fixes: FixOutcome[];
  remaining: Flag[];
};

function changesLine(c: PolishChanges): string {
  return `quotes ${c.quotes}, dashes ${c.dashes}, ellipses ${c.ellipses}, spacing ${c.whitespace}, doubled words ${c.repeated_words}`;
}

/** The per-chapter report as markdown: what the checks measured, found and fixed, and what is left. */
export function renderReport(title: string, chapters: readonly ChapterReport[], offline: boolean): string {
  const found = chapters.reduce((n, c) => n + c.flags.length, 0);
  const fixed = chapters.reduce((n, c) => n + c.fixes.filter((f) => f.applied).length, 0);
  const left = chapters.reduce((n, c) => n + c.remaining.length, 0);
  const lines = [`# Editing report: ${title}`, '', `${chapters.length} chapters; ${found} cross-chapter flag(s) found, ${fixed} fixed, ${left} still open after the re-check.`, ''];
  if (offline) lines.push('Edited offline: analysis, polish, checks and fixes are deterministic; no chapter was expanded (expansion needs a model, and offline mode does not invent prose).', '');
  for (const c of chapters) {
    lines.push(/^chapter\b/i.test(c.title) ? `## ${c.title}` : `## Chapter ${c.index}: ${c.title}`, '');
    if (c.analysis) {
      const r = c.analysis.readability;
      lines.push(`- measured: ${r.words} words, ${r.sentences} sentences, ${r.words_per_sentence} words per sentence, Flesch reading ease ${r.flesch_reading_ease}, grade ${r.grade_level}`);
      const names = Object.entries(c.analysis.names).map(([n, k]) => `${n} (${k})`);
      lines.push(`- names: ${names.length === 0 ? 'none' : names.join(', ')}`);
      for (const s of c.analysis.long_sentences) lines.push(`- long sentence (${s.words} words): “${s.sentence.slice(0, 120)}${s.sentence.length > 120 ? '…' : ''}”`);
      for (const w of c.analysis.repeated_words) lines.push(`- doubled word “${w.word} ${w.word}”`);
    }
    if (c.polish) lines.push(`- polish: ${changesLine(c.polish)}`);
    if (c.expansion) lines.push(`- expansion: ${c.expansion}`);
    for (const f of c.flags) lines.push(`- flag ${f.kind} (against chapter ${f.target}): ${f.message}; evidence: “${f.evidence}”`);
    for (const f of c.fixes) lines.push(`- ${f.applied ? 'fixed' : 'not fixed'}: ${f.detail}`);
    for (const f of c.remaining) lines.push(`- still open: ${f.message}`);
    lines.push('');
  }
  return lines.join('\n');
}
