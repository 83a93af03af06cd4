import { UcopError } from '@ucop/core';

/** What is sent to the tracker for one item. */
export type TrackerItem = {
  external_id: string;
  type: string;
  title: string;
  description: string;
  parent: string | null;
  acceptance_criteria: string[];
  steps: string[];
};

export type TrackerResponse = { id: string; replayed: boolean };

/**
 * Creates one item with `POST <url>` and an `Idempotency-Key` header: a tracker (or the proxy in front of
 * it) that honours the key answers a repeated request with the item it already made. 429 and 5xx answers
 * and network failures are retryable; other 4xx answers are not (sending again will not help).
 */
export async function createTrackerItem(url: string, key: string, item: TrackerItem, signal: AbortSignal, token?: string): Promise<TrackerResponse> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(item),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new UcopError('AGENT_ERROR', `tracker unreachable at ${url}: ${(error as Error).message}`, { retryable: true, fields: { item: item.external_id } });
  }
  const text = await response.text();
  if (!response.ok) {
    const retryable = response.status === 429 || response.status >= 500;
    throw new UcopError('AGENT_ERROR', `tracker answered ${response.status} for ${item.external_id}: ${text.slice(0, 200)}`, { retryable, fields: { status: response.status, item: item.external_id } });
  }
  let id: unknown;
  try {
    id = (JSON.parse(text) as { id?: unknown }).id;
  } catch {
    id = undefined;
  }
  if (typeof id !== 'string' && typeof id !== 'number') {
    throw new UcopError('AGENT_ERROR', `tracker answered ${response.status} for ${item.external_id} without an "id"`, { retryable: false, fields: { item: item.external_id } });
  }
  return { id: String(id), replayed: response.headers.get('idempotent-replayed') === 'true' };
}
