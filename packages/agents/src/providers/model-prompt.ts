import type { LlmRequest } from '@ucop/core';

/** Most characters of source material sent with one prompt, so a large archive cannot blow the context window. */
export const MAX_CONTEXT_CHARS = 24_000;

/**
 * The text a remote model receives: the rendered prompt, followed by the request's source documents as
 * numbered, delimited material. The offline writer reads `request.context` directly; remote models only see
 * text, so the sources have to travel inside the prompt. Source text is data: it is delimited, never rendered
 * as a template.
 */
export function promptWithContext(request: Pick<LlmRequest, 'prompt' | 'context'>, maxChars = MAX_CONTEXT_CHARS): string {
  const documents = request.context ?? [];
  if (documents.length === 0) return request.prompt;
  const blocks: string[] = [];
  let used = 0;
  for (const [index, doc] of documents.entries()) {
    const header = `[${index + 1}] ${doc.title ?? doc.id}${doc.source ? ` (${doc.source})` : ''}`;
    const room = maxChars - used - header.length - 1;
    if (room <= 0) break;
    const text = doc.text.length > room ? `${doc.text.slice(0, room)}…` : doc.text;
    blocks.push(`${header}\n${text}`);
    used += header.length + 1 + text.length;
  }
  return `${request.prompt}\n\n<sources>\n${blocks.join('\n\n')}\n</sources>`;
}
