import type { ContextDocument, LlmRequest } from '@ucop/core';
import { arrangeParagraphs } from './arrange-paragraphs.ts';
import { writeOutline } from './outline-writer.ts';
import { rankSentences } from './rank-sentences.ts';
import { selectSentences } from './select-sentences.ts';
import { sentencePool, type CandidateSentence } from './sentence-pool.ts';

/** Tokens aimed at when a request sets no `maxTokens`. @default 400 */
export const DEFAULT_MAX_TOKENS = 400;
/** Characters per token, the usual estimate for English text. */
export const CHARS_PER_TOKEN = 4;
/** Share of the token budget the writer fills, leaving room for the heading. */
const BUDGET_SHARE = 0.85;
/** A document titled like the heading, with at least this many usable sentences, is the text's only source. */
const HOME_MIN_SENTENCES = 3;

const norm = (s: string): string => s.trim().toLowerCase();

/**
 * The context document titled like the heading, if it has enough to say on its own: a section should
 * retell its own source rather than borrow sentences from others that merely share its words.
 */
function homeDocument(context: readonly ContextDocument[], pool: readonly CandidateSentence[], purpose: string): number | undefined {
  if (purpose === '') return undefined;
  const home = context.findIndex((d) => d.title !== undefined && norm(d.title) === norm(purpose));
  if (home === -1) return undefined;
  return pool.filter((s) => s.docIndex === home).length >= HOME_MIN_SENTENCES ? home : undefined;
}

/**
 * The deterministic extractive writer behind the offline provider. It never invents text: every sentence
 * comes from `request.context`, ranked by relevance to the purpose (weighted most) and the prompt,
 * de-duplicated, and arranged into paragraphs under `## <purpose>`. When a context document is titled
 * like the purpose, the text is drawn from it alone. For the purpose `outline` it answers
 * with a parseable markdown outline instead. Same request, same text.
 */
export function writeExtractive(request: LlmRequest): string {
  const context = request.context ?? [];
  const purpose = request.purpose?.trim() ?? '';
  if (purpose.toLowerCase() === 'outline') return writeOutline(context, request.prompt);

  const heading = purpose === '' ? '' : `## ${purpose}\n\n`;
  const pool = sentencePool(context);
  if (pool.length === 0) {
    const subject = purpose === '' ? 'this text' : `"${purpose}"`;
    return `${heading}The sources hold no material for ${subject} yet.\n`;
  }
  const ranked = rankSentences(pool, context, { focus: purpose, detail: request.prompt });
  const budgetChars = (request.maxTokens ?? DEFAULT_MAX_TOKENS) * CHARS_PER_TOKEN * BUDGET_SHARE;
  const home = homeDocument(context, pool, purpose);
  const chosen = selectSentences(ranked, home === undefined ? { budgetChars } : { budgetChars, onlyDoc: home });
  return `${heading}${arrangeParagraphs(chosen).join('\n\n')}\n`;
}

/** A rough token count: characters / 4, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
