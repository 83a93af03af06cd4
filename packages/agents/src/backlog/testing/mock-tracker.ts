import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A local issue tracker for the outbox tests: `POST /items` creates an item and answers `{ id }`; a request
 * whose Idempotency-Key was seen before gets the item made the first time (200, `Idempotent-Replayed: true`),
 * as trackers and gateways that honour the header do. It counts every creation per key, so a test can
 * assert that no item was created twice, and it refuses a child whose parent it does not know (422).
 */

export interface MockTrackerOptions {
  /** Delay before each answer, so that a test can kill the client in the middle of an export. @default 0 */
  delayMs?: number;
  /** Answer these request numbers (from 1) with 503 before creating anything: a flaky tracker. @default [] */
  failRequests?: readonly number[];
  /** Honour Idempotency-Key (the default); false: every request creates an item, to show what the keys prevent. */
  idempotent?: boolean;
}

export interface MockTracker {
  url: string;
  /** Requests received, items created, requests answered from the idempotency record, creations per key. */
  stats(): { requests: number; created: number; replays: number; failed: number; bearer: string[]; creationsByKey: Map<string, number>; items: Map<string, { external_id: string; parent: string | null }> };
  close(): Promise<void>;
}

export async function startMockTracker(options: MockTrackerOptions = {}): Promise<MockTracker> {
  let requests = 0;
  let replays = 0;
  let failed = 0;
  const bearer: string[] = [];
  const byKey = new Map<string, string>();
  const creationsByKey = new Map<string, number>();
  const items = new Map<string, { external_id: string; parent: string | null }>();
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      const n = ++requests;
      if (req.headers.authorization) bearer.push(req.headers.authorization);
      const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        const send = () => {
          if (res.destroyed) return;
          res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
        };
        if (options.delayMs) setTimeout(send, options.delayMs);
        else send();
      };
      if (req.method !== 'POST' || req.url !== '/items') return answer(404, { error: 'not found' });
      if (options.failRequests?.includes(n)) {
        failed++;
        return answer(503, { error: 'try again' });
      }
      const key = req.headers['idempotency-key'];
      const item = JSON.parse(body) as { external_id: string; parent: string | null };
      if (options.idempotent !== false && typeof key === 'string' && byKey.has(key)) {
        replays++;
        return answer(200, { id: byKey.get(key) }, { 'idempotent-replayed': 'true' });
      }
      if (item.parent !== null && !items.has(item.parent)) return answer(422, { error: `unknown parent ${item.parent}` });
      const id = `TRK-${items.size + 1}`;
      items.set(id, { external_id: item.external_id, parent: item.parent });
      if (typeof key === 'string') {
        byKey.set(key, id);
        creationsByKey.set(key, (creationsByKey.get(key) ?? 0) + 1);
      }
      answer(201, { id });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/items`,
    stats: () => ({ requests, created: items.size, replays, failed, bearer, creationsByKey, items }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
