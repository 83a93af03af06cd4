import { writeNumberLike } from './facts.ts';
import type { Flag } from './flag.ts';

/** A change a fix made, or why it could not make one. */
export type FixOutcome = { flag: string; applied: boolean; detail: string };

/** How contradicting dates and counts are resolved. */
export type FactPolicy = 'earliest' | 'report';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function fixName(text: string, flag: Flag): { text: string; outcome: FixOutcome } {
  const re = new RegExp(`(?<![\\p{L}])${escape(flag.found)}(?![\\p{L}])`, 'gu');
  const n = (text.match(re) ?? []).length;
  if (n === 0) return { text, outcome: { flag: flag.id, applied: false, detail: `"${flag.found}" is no longer in the chapter` } };
  return { text: text.replace(re, flag.expected), outcome: { flag: flag.id, applied: true, detail: `"${flag.found}" → "${flag.expected}" (${n}x), as chapter ${flag.target} spells it` } };
}

/**
 * A contradicting date or count is set to what the earlier chapter established, where the chapter states
 * it exactly once (so the change cannot land on another number); otherwise it is left for the editor.
 */
function fixFact(text: string, flag: Flag, policy: FactPolicy): { text: string; outcome: FixOutcome } {
  if (policy === 'report') return { text, outcome: { flag: flag.id, applied: false, detail: `left for the editor (facts: report): ${flag.message}` } };
  const attribute = flag.id.split(':').at(-1) ?? '';
  const pattern =
    flag.kind === 'date_conflict'
      ? new RegExp(`(\\b${escape(attribute)}\\s+(?:in|during)\\s+(?:the\\s+\\w+\\s+of\\s+)?)${escape(flag.found)}\\b`, 'gi')
      : new RegExp(`\\b${escape(flag.found)}(\\s+${escape(attribute)}\\b)`, 'gi');
  const matches = text.match(pattern) ?? [];
  if (matches.length !== 1) {
    return { text, outcome: { flag: flag.id, applied: false, detail: `"${flag.found}" with "${attribute}" occurs ${matches.length}x in the chapter: not changed, left for the editor (${flag.message})` } };
  }
  const value = writeNumberLike(Number(flag.expected), flag.found);
  const fixed = flag.kind === 'date_conflict' ? text.replace(pattern, `$1${value}`) : text.replace(pattern, `${value}$1`);
  return { text: fixed, outcome: { flag: flag.id, applied: true, detail: `${flag.found} → ${value}, as chapter ${flag.target} established` } };
}

/** Applies the flags raised against one chapter, in order, and says what it did and did not do. */
export function applyFixes(text: string, flags: readonly Flag[], policy: FactPolicy = 'earliest'): { text: string; outcomes: FixOutcome[] } {
  let current = text;
  const outcomes: FixOutcome[] = [];
  for (const flag of flags) {
    const step = flag.kind === 'name_variant' ? fixName(current, flag) : fixFact(current, flag, policy);
    current = step.text;
    outcomes.push(step.outcome);
  }
  return { text: current, outcomes };
}

export const FIX_OUTCOME_SCHEMA = {
  type: 'object',
  required: ['flag', 'applied', 'detail'],
  properties: { flag: { type: 'string' }, applied: { type: 'boolean' }, detail: { type: 'string' } },
} as const;
