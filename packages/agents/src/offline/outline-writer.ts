import type { ContextDocument } from '@ucop/core';
import { plainText } from '../text/plain-text.ts';
import { rankSentences } from './rank-sentences.ts';
import { sentencePool } from './sentence-pool.ts';

/** Key points listed under each outline section. @default 3 */
export const OUTLINE_KEY_POINTS = 3;
/** A key point longer than this is a paragraph, not a point. */
const MAX_KEY_POINT_CHARS = 200;

/**
 * The offline answer to an outline request: one `## ` section per titled context document, in the order
 * given, with its most relevant sentence as summary and the next ones as `- ` key points. The format is
 * the markdown outline that writer.outline parses.
 */
export function writeOutline(context: readonly ContextDocument[], prompt: string): string {
  const blocks: string[] = [];
  for (const doc of context) {
    const title = doc.title?.trim();
    if (!title) continue;
    const ranked = rankSentences(sentencePool([doc]), [doc], { focus: title, detail: prompt });
    const [summary, ...rest] = ranked;
    const points = rest
      .filter((s) => plainText(s.text).length <= MAX_KEY_POINT_CHARS)
      .slice(0, OUTLINE_KEY_POINTS)
      .sort((a, b) => a.position - b.position)
      .map((s) => `- ${s.text}`);
    blocks.push([`## ${title}`, summary?.text ?? '', points.join('\n')].filter((part) => part !== '').join('\n\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}
