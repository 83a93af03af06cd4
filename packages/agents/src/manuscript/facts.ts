import { wordsOf } from './prose.ts';

/** A statement a later chapter may contradict: `<subject> was born in 1868`, `Halvard Light had 212 steps`. */
export type Fact = {
  kind: 'date' | 'number';
  /** The name the fact is about. */
  subject: string;
  /** What is stated: the verb of a date (`born`, `founded`), the counted noun of a number (`steps`). */
  attribute: string;
  value: number;
  /** The value as written in the text (`212`, `three`). */
  written: string;
  sentence: string;
};

const NUMBER_WORDS: Record<string, number> = {
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20,
  thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100,
};

const DATE_VERBS = 'born|founded|built|died|married|lit|opened|wrecked|sank|launched|closed';
const DATE = new RegExp(`\\b(${DATE_VERBS})\\s+(?:in|during)\\s+(?:the\\s+(?:spring|summer|autumn|winter)\\s+of\\s+)?(1[5-9]\\d\\d|20\\d\\d)\\b`, 'gi');
const COUNT = /\b(\d{1,6}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)\s+([a-z]{3,}s)\b/gi;
/** Counted nouns that describe time passing or vague amounts: they change legitimately between chapters. */
const CHANGING = new Set(['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds', 'times', 'nights', 'mornings', 'evenings', 'others', 'ones']);

/** The names of a stretch of text, consecutive names joined into one (`Marta Lindqvist`), by their first word. */
function nameRuns(text: string, names: ReadonlySet<string>): string[] {
  const runs: string[] = [];
  let inRun = false;
  for (const raw of wordsOf(text)) {
    const word = raw.replace(/['’]s$/, '');
    if (names.has(word)) {
      if (!inRun) runs.push(word);
      inRun = !/['’]s$/.test(raw);
    } else inRun = false;
  }
  return runs;
}

/** The last name before `at` in the sentence, else the first name after it (a full name counts by its first word). */
function subjectNear(sentence: string, at: number, names: ReadonlySet<string>): string | undefined {
  const before = nameRuns(sentence.slice(0, at), names);
  if (before.length > 0) return before[before.length - 1];
  return nameRuns(sentence.slice(at), names)[0];
}

/**
 * Dates (`born in 1868`, `founded in 1702`) and counts (`212 steps`) stated about a name in the same
 * sentence. Time spans (`three years`) are left out: they change as a story moves on.
 */
export function extractFacts(sentences: readonly string[], names: ReadonlySet<string>): Fact[] {
  const facts: Fact[] = [];
  for (const sentence of sentences) {
    for (const m of sentence.matchAll(DATE)) {
      const subject = subjectNear(sentence, m.index, names);
      if (subject !== undefined) facts.push({ kind: 'date', subject, attribute: m[1]!.toLowerCase(), value: Number(m[2]), written: m[2]!, sentence });
    }
    for (const m of sentence.matchAll(COUNT)) {
      const noun = m[2]!.toLowerCase();
      if (CHANGING.has(noun)) continue;
      const written = m[1]!;
      const value = /^\d+$/.test(written) ? Number(written) : NUMBER_WORDS[written.toLowerCase()]!;
      if (value >= 1500 && value <= 2100 && /^\d{4}$/.test(written)) continue;
      const subject = subjectNear(sentence, m.index, names);
      if (subject !== undefined) facts.push({ kind: 'number', subject, attribute: noun, value, written, sentence });
    }
  }
  return facts;
}

/** A number written the way the text wrote the one it replaces: words stay words when they can. */
export function writeNumberLike(value: number, like: string): string {
  if (/^\d+$/.test(like)) return String(value);
  const word = Object.entries(NUMBER_WORDS).find(([, v]) => v === value)?.[0];
  if (word === undefined) return String(value);
  return /^\p{Lu}/u.test(like) ? word[0]!.toUpperCase() + word.slice(1) : word;
}

export const FACT_SCHEMA = {
  type: 'object',
  required: ['kind', 'subject', 'attribute', 'value', 'written', 'sentence'],
  properties: {
    kind: { enum: ['date', 'number'] },
    subject: { type: 'string' },
    attribute: { type: 'string' },
    value: { type: 'number' },
    written: { type: 'string' },
    sentence: { type: 'string' },
  },
} as const;
