import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UcopError, type AgentDefinition } from '@ucop/core';
import pLimit from 'p-limit';
import type { BacklogItem, BacklogLevel } from './backlog-item.ts';
import { Outbox } from './outbox.ts';
import { createTrackerItem } from './tracker-client.ts';

export type TrackerExportInput = {
  /** The backlog.json written by `backlog.export`. */
  backlog: string;
  /** The tracker's item-creation endpoint (POST). */
  url: string;
  /** The outbox file, relative to the run's output directory. @default tracker-outbox.jsonl */
  outbox?: string;
  /** Part of every idempotency key; change it to create the backlog again as new items. @default the product name */
  namespace?: string;
  /** Items created at once within a level. @default 4 */
  concurrency?: number;
  /** Name of the environment variable holding the tracker's token ('' for none). @default '' */
  token_env?: string;
};

export type TrackerExportOutput = { created: number; already: number; replayed: number; total: number; outbox: string };

const LEVELS: readonly (readonly BacklogLevel[])[] = [['epic'], ['feature'], ['story'], ['task', 'test']];

/** The idempotency key of an item: the same for every run over the same backlog and namespace. */
export function idempotencyKey(namespace: string, itemId: string): string {
  return `ucop-${createHash('sha256').update(`${namespace}\n${itemId}`).digest('hex').slice(0, 40)}`;
}

/**
 * `backlog.tracker_export`: creates the backlog's items in a tracker over HTTP through an outbox, parents
 * before children. Each item carries an idempotency key derived from the namespace and its id; each
 * creation is recorded durably in the outbox, so a resumed or retried run sends only what is not recorded,
 * and what it sends again (an item created just before a kill) the tracker recognises by its key.
 */
export const trackerExportAgent: AgentDefinition<TrackerExportInput, TrackerExportOutput> = {
  name: 'backlog.tracker_export',
  version: '1',
  description: 'Creates the backlog in a tracker over HTTP through a durable outbox with idempotency keys: a resumed or retried run never creates an item twice.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['backlog', 'url'],
    properties: {
      backlog: { type: 'string', minLength: 1, description: 'the backlog.json written by backlog.export' },
      url: { type: 'string', pattern: '^https?://', description: "the tracker's item-creation endpoint (POST)" },
      outbox: { type: 'string', minLength: 1, default: 'tracker-outbox.jsonl', description: "the outbox file, relative to the run's output directory" },
      namespace: { type: 'string', default: '', description: 'part of every idempotency key; empty: the product name' },
      concurrency: { type: 'integer', minimum: 1, maximum: 64, default: 4, description: 'items created at once within a level' },
      token_env: { type: 'string', pattern: '^([A-Za-z_][A-Za-z0-9_]*)?$', default: '', description: "environment variable holding the tracker's token; '' for none" },
    },
  },
  outputSchema: {
    type: 'object',
    required: ['created', 'already', 'replayed', 'total', 'outbox'],
    properties: { created: { type: 'integer' }, already: { type: 'integer' }, replayed: { type: 'integer' }, total: { type: 'integer' }, outbox: { type: 'string' } },
  },
  estimateMs: 2000,
  async run(ctx, input) {
    const backlog = JSON.parse(await readFile(input.backlog, 'utf8')) as { product: string; items: BacklogItem[] };
    const namespace = input.namespace || backlog.product;
    const token = input.token_env ? process.env[input.token_env] : undefined;
    if (input.token_env && !token) throw new UcopError('AGENT_ERROR', `the tracker token variable ${input.token_env} is not set`, { retryable: false });
    const path = ctx.artifacts.resolve(input.outbox ?? 'tracker-outbox.jsonl');
    const outbox = await Outbox.open(path);
    const already = backlog.items.filter((i) => outbox.get(idempotencyKey(namespace, i.id)) !== undefined).length;
    let created = 0;
    let replayed = 0;
    const limit = pLimit(input.concurrency ?? 4);
    // After the first failure no new request starts, and the ones in flight are awaited (and recorded)
    // before the outbox closes: an item the tracker created is never left unrecorded by this process.
    let failure: { error: unknown } | undefined;
    try {
      for (const level of LEVELS) {
        const todo = backlog.items.filter((i) => level.includes(i.type) && outbox.get(idempotencyKey(namespace, i.id)) === undefined);
        await Promise.allSettled(
          todo.map((item) =>
            limit(async () => {
              if (failure !== undefined) return;
              try {
                ctx.signal.throwIfAborted();
                const key = idempotencyKey(namespace, item.id);
                const parent = item.parent === '' ? null : (outbox.get(idempotencyKey(namespace, item.parent))?.tracker_id ?? null);
                const { id, replayed: again } = await createTrackerItem(
                  input.url,
                  key,
                  { external_id: item.id, type: item.type, title: item.title, description: item.description, parent, acceptance_criteria: item.acceptance_criteria, steps: item.steps },
                  ctx.signal,
                  token,
                );
                await outbox.record({ key, item: item.id, tracker_id: id });
                if (again) replayed++;
                else created++;
              } catch (error) {
                failure ??= { error };
              }
            }),
          ),
        );
        if (failure !== undefined) throw failure.error;
      }
    } finally {
      await outbox.close();
    }
    ctx.logger.info(`tracker: ${created} created, ${already} already in the outbox, ${replayed} answered from the tracker's idempotency record`);
    return { created, already, replayed, total: backlog.items.length, outbox: path };
  },
};
