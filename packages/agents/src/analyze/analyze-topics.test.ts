import { describe, expect, it } from 'vitest';
import { createFakeContext } from '../testing/fake-context.ts';
import { schemaErrors } from '../testing/schema-assert.ts';
import type { Source } from '../sources/source.ts';
import { analyzeTopicsAgent } from './analyze-topics.ts';
import { extractTopics } from './extract-topics.ts';

const source = (id: string, title: string, text: string, kind: Source['kind'] = 'article'): Source => ({ id, title, text, source: id, kind });

const SOURCES: Source[] = [
  source('a', 'Circuit breakers', 'A circuit breaker stops calls to a failing service. The circuit breaker opens after many failures. Open breakers fail fast.'),
  source('b', 'Backoff', 'Backoff spaces retries out. Exponential backoff doubles the delay between retries. Jitter randomises the delay.'),
  source('c', 'Unrelated archive post', 'Kubernetes pods and kubernetes nodes and kubernetes clusters.', 'archive'),
];

describe('extractTopics', () => {
  it('ranks content terms and repeated phrases, never stop words', () => {
    const topics = extractTopics(SOURCES).map((t) => t.term);
    expect(topics).toContain('circuit breaker');
    expect(topics).toContain('backoff');
    expect(topics.slice(0, 3)).not.toContain('kubernetes');
    expect(topics).not.toContain('the');
    expect(topics).not.toContain('circuit');
  });

  it('is deterministic: the same sources give the same topics, scores included', () => {
    expect(extractTopics(SOURCES)).toEqual(extractTopics(structuredClone(SOURCES)));
  });

  it('weighs the article above earlier posts', () => {
    const asArticle = extractTopics([{ ...SOURCES[2]!, kind: 'article' }, SOURCES[0]!]);
    const asArchive = extractTopics([SOURCES[2]!, SOURCES[0]!]);
    const rank = (list: { term: string }[]) => list.findIndex((t) => t.term === 'kubernetes');
    expect(rank(asArticle)).toBeLessThan(rank(asArchive));
  });

  it('honours maxTopics and returns nothing for no sources', () => {
    expect(extractTopics(SOURCES, { maxTopics: 2 })).toHaveLength(2);
    expect(extractTopics([])).toEqual([]);
  });
});

describe('analyze.topics', () => {
  it('reads sources from state and lists the user keywords first, de-duplicated by stem', async () => {
    const fake = await createFakeContext({ state: { sources: [SOURCES.slice(0, 2), SOURCES[2]] } });
    const out = await analyzeTopicsAgent.run(fake.ctx, { keywords: ['Resilience', 'backoffs', ' '], max_keywords: 4 });
    expect(schemaErrors(analyzeTopicsAgent.outputSchema, out)).toBe('');
    expect(out.keywords[0]).toBe('Resilience');
    expect(out.keywords[1]).toBe('backoffs');
    expect(out.keywords).toHaveLength(4);
    expect(out.keywords.filter((k) => k.toLowerCase().startsWith('backoff'))).toEqual(['backoffs']);
    expect(out.topics.length).toBeGreaterThan(0);
  });
});
