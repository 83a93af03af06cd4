import { editDistance } from '@ucop/core';
import type { ChapterAnalysis } from './chapter-analysis.ts';
import type { Flag } from './flag.ts';
import { sameStem, variantDistance } from './names.ts';

type NameUse = { total: number; first: number; chapters: Map<number, number> };

function nameUses(analyses: readonly ChapterAnalysis[]): Map<string, NameUse> {
  const uses = new Map<string, NameUse>();
  for (const a of [...analyses].sort((x, y) => x.index - y.index)) {
    for (const [name, n] of Object.entries(a.names)) {
      const use = uses.get(name) ?? { total: 0, first: a.index, chapters: new Map<number, number>() };
      use.total += n;
      use.chapters.set(a.index, n);
      uses.set(name, use);
    }
  }
  return uses;
}

function sentenceWith(analyses: readonly ChapterAnalysis[], chapter: number, word: string, texts: ReadonlyMap<number, readonly string[]>): string {
  const re = new RegExp(`\\b${word}\\b`);
  return texts.get(chapter)?.find((s) => re.test(s)) ?? analyses.find((a) => a.index === chapter)?.title ?? '';
}

/**
 * Name variants: two spellings of one name (an edit or two apart, same initial), the rarer one in the
 * chapters where it appears, against the chapter where the common spelling first appeared.
 */
function nameVariantFlags(analyses: readonly ChapterAnalysis[], texts: ReadonlyMap<number, readonly string[]>): Flag[] {
  const uses = nameUses(analyses);
  const names = [...uses.keys()].sort();
  const flags: Flag[] = [];
  for (const a of names) {
    for (const b of names) {
      if (a >= b || a[0] !== b[0] || sameStem(a, b)) continue;
      if (editDistance(a, b) > variantDistance(a, b)) continue;
      const [ua, ub] = [uses.get(a)!, uses.get(b)!];
      // The common spelling is the canonical one; on a tie, the one the book used first.
      const aCanonical = ua.total > ub.total || (ua.total === ub.total && ua.first <= ub.first);
      const [canonical, variant] = aCanonical ? [a, b] : [b, a];
      const [uc, uv] = aCanonical ? [ua, ub] : [ub, ua];
      for (const chapter of [...uv.chapters.keys()].sort((x, y) => x - y)) {
        flags.push({
          id: `name_variant:${chapter}:${variant}`,
          kind: 'name_variant',
          chapter,
          target: uc.first,
          found: variant,
          expected: canonical,
          evidence: sentenceWith(analyses, chapter, variant, texts),
          established: sentenceWith(analyses, uc.first, canonical, texts),
          message: `chapter ${chapter} spells "${variant}" (${uv.chapters.get(chapter)}x) where chapter ${uc.first} established "${canonical}" (${uc.total}x in the book)`,
        });
      }
    }
  }
  return flags;
}

/** Dates and counts stated about the same name that differ from what an earlier chapter stated. */
function factFlags(analyses: readonly ChapterAnalysis[]): Flag[] {
  const first = new Map<string, { chapter: number; value: number; sentence: string }>();
  const flags: Flag[] = [];
  for (const a of [...analyses].sort((x, y) => x.index - y.index)) {
    for (const fact of a.facts) {
      const key = `${fact.kind}|${fact.subject}|${fact.attribute}`;
      const known = first.get(key);
      if (known === undefined) {
        first.set(key, { chapter: a.index, value: fact.value, sentence: fact.sentence });
        continue;
      }
      if (known.value === fact.value) continue;
      const kind = fact.kind === 'date' ? 'date_conflict' : 'number_conflict';
      const what = fact.kind === 'date' ? `${fact.subject} ${fact.attribute} in` : `${fact.subject}: ${fact.attribute}`;
      flags.push({
        id: `${kind}:${a.index}:${fact.subject}:${fact.attribute}`,
        kind,
        chapter: a.index,
        target: known.chapter,
        found: fact.written,
        expected: String(known.value),
        evidence: fact.sentence,
        established: known.sentence,
        message: `chapter ${a.index} says ${what} ${fact.value}; chapter ${known.chapter} said ${known.value}`,
      });
    }
  }
  return flags;
}

/**
 * The cross-chapter checks over every chapter's analysis: name variants, contradicting dates and counts.
 * `texts` gives each chapter's sentences, to quote the evidence. Flags are sorted by chapter, then id.
 */
export function crossChapterFlags(analyses: readonly ChapterAnalysis[], texts: ReadonlyMap<number, readonly string[]>): Flag[] {
  return [...nameVariantFlags(analyses, texts), ...factFlags(analyses)].sort((x, y) => x.chapter - y.chapter || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}
