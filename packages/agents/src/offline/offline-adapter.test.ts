import { describe, expect, it } from 'vitest';
import type { ContextDocument, LlmRequest } from '@ucop/core';
import { plainText } from '../text/plain-text.ts';
import { splitSentences } from '../text/sentences.ts';
import { parseOutline } from '../writer/parse-outline.ts';
import { createOfflineAdapter } from './offline-adapter.ts';

const CONTEXT: ContextDocument[] = [
  {
    id: 'retries',
    title: 'Retries',
    text: 'Retries turn transient failures into successes. A retry must only repeat idempotent requests.\n\nThis keeps retried POST requests from creating duplicates. Each retry waits longer than the last one.',
  },
  {
    id: 'breakers',
    title: 'Circuit breakers',
    text: 'A circuit breaker stops calls to a dependency that keeps failing. After a cool-down, one probe call is let through. Configure it like this:',
  },
  { id: 'cache', title: 'Caching', text: 'A cache keeps responses for a while. Cached responses are served without any network call.' },
];

const signal = new AbortController().signal;
const request = (over: Partial<LlmRequest> = {}): LlmRequest => ({ prompt: 'Write about how retries work.', purpose: 'How retries work', context: CONTEXT, ...over });
const sourceSentences = new Set(CONTEXT.flatMap((d) => splitSentences(d.text)));

describe('createOfflineAdapter', () => {
  const offline = createOfflineAdapter();

  it('is the offline provider', () => {
    expect([offline.name, offline.model, offline.offline]).toEqual(['offline', 'extractive-v1', true]);
  });

  it('writes under the requested heading, only with sentences of the sources', async () => {
    const { text } = await offline.call(request(), signal);
    expect(text.startsWith('## How retries work\n\n')).toBe(true);
    const body = text.slice('## How retries work\n\n'.length);
    const used = body.split('\n\n').flatMap((p) => splitSentences(p));
    expect(used.length).toBeGreaterThan(1);
    for (const sentence of used) expect(sourceSentences.has(sentence)).toBe(true);
    expect(body).toContain('Retries turn transient failures into successes.');
    expect(body).not.toContain('cache');
  });

  it('is deterministic', async () => {
    const a = await offline.call(request(), signal);
    const b = await offline.call(request({ context: structuredClone(CONTEXT) }), signal);
    expect(a).toEqual(b);
  });

  it('brings the sentence a "This ..." sentence leans on, and leaves out lead-ins ending with ":"', async () => {
    const doc: ContextDocument = {
      id: 'keys',
      text: 'Keys expire after one day on the server side. Servers remember each key for a day. This makes duplicate POST requests harmless.',
    };
    const { text } = await offline.call({ prompt: 'duplicate POST requests', purpose: 'Duplicate POST requests', maxTokens: 20, context: [doc] }, signal);
    expect(text).toContain('Servers remember each key for a day. This makes duplicate POST requests harmless.');
    const all = await offline.call(request({ purpose: 'Circuit breaker', maxTokens: 2000 }), signal);
    expect(all.text).not.toContain('Configure it like this');
  });

  it('draws only from the document titled like the heading when it has enough to say', async () => {
    const { text } = await offline.call(request({ purpose: 'Retries', prompt: 'circuit breaker cache retries' }), signal);
    expect(text).not.toContain('circuit breaker');
    expect(text).not.toContain('cache');
  });

  it('keeps within the token budget', async () => {
    const short = await offline.call(request({ maxTokens: 30 }), signal);
    const long = await offline.call(request({ maxTokens: 2000 }), signal);
    expect(short.text.length).toBeLessThan(long.text.length);
  });

  it('answers an outline request with a parseable outline built from the titled documents', async () => {
    const { text } = await offline.call({ prompt: 'Plan the post', purpose: 'outline', context: CONTEXT }, signal);
    const outline = parseOutline(text);
    expect(outline.sections.map((s) => s.title)).toEqual(['Retries', 'Circuit breakers', 'Caching']);
    expect(sourceSentences.has(outline.sections[0]!.summary)).toBe(true);
    expect(outline.sections[0]!.key_points.length).toBeGreaterThan(0);
  });

  it('says so when there is no source material', async () => {
    const { text } = await offline.call({ prompt: 'x', purpose: 'Anything', context: [] }, signal);
    expect(text).toBe('## Anything\n\nThe sources hold no material for "Anything" yet.\n');
  });

  it('estimates usage at four characters per token', async () => {
    const { text, usage } = await offline.call(request(), signal);
    expect(usage.outputTokens).toBe(Math.ceil(text.length / 4));
    const input = ['', request().prompt, ...CONTEXT.map((d) => `${d.title}\n${d.text}`)].join('\n');
    expect(usage.inputTokens).toBe(Math.ceil(input.length / 4));
  });

  it('refuses to start once the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(offline.call(request(), controller.signal)).rejects.toThrow('stop');
  });

  it('reads markdown: link targets do not count as words', async () => {
    const { text } = await offline.call(
      { prompt: 'x', purpose: 'Links', context: [{ id: 'l', text: 'Read the [guide](docs/retries.md) before you start. Links keep their targets intact here.' }] },
      signal,
    );
    expect(plainText(text)).toContain('Read the guide before you start.');
    expect(text).toContain('[guide](docs/retries.md)');
  });
});
