import type { ContextDocument } from '@ucop/core';
import { plainText } from '../text/plain-text.ts';
import { splitSentences } from '../text/sentences.ts';
import { tokenize } from '../text/tokenize.ts';

/** A sentence the extractive writer may use, with where it came from. */
export interface CandidateSentence {
  /** As written in the source (inline markdown kept, so links and code spans survive). */
  text: string;
  tokens: string[];
  docIndex: number;
  /** Index of the sentence within its document. */
  position: number;
  /** Index of the paragraph (blank-line separated) the sentence belongs to, within its document. */
  paragraph: number;
}

/** Shorter sentences are usually fragments ("See below."), longer ones walls of text. */
const MIN_CHARS = 20;
const MAX_CHARS = 500;
/** Sentences opening like this lean on the one before them. */
const ANAPHORA = /^(this|that|these|those|it|its|they|their|such|then|also|so|but|however)\b/i;

/** Whether a sentence reads only after the sentence before it ("This means ..."). */
export function leansOnPrevious(sentence: CandidateSentence): boolean {
  return sentence.position > 0 && ANAPHORA.test(plainText(sentence.text));
}

/**
 * Every usable sentence of the context documents, in document order. A sentence that introduces
 * something not carried over (ends with ':' before a list or code block) is left out.
 */
export function sentencePool(context: readonly ContextDocument[]): CandidateSentence[] {
  const out: CandidateSentence[] = [];
  context.forEach((doc, docIndex) => {
    let position = 0;
    doc.text.split(/\n\s*\n/).forEach((block, paragraph) => {
      for (const text of splitSentences(block)) {
        const plain = plainText(text);
        const usable = plain.length >= MIN_CHARS && plain.length <= MAX_CHARS && !/:\s*$/.test(plain);
        if (usable) out.push({ text, tokens: tokenize(text), docIndex, position, paragraph });
        position++;
      }
    });
  });
  return out;
}
