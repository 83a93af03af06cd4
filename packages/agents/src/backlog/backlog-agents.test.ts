import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createFakeContext } from '../testing/fake-context.ts';
import type { BacklogItem } from './backlog-item.ts';
import { azureCsv, jiraCsv } from './backlog-csv.ts';
import { backlogExportAgent } from './backlog-export.ts';
import { requirementsOf, splitRequirement } from './brief-structure.ts';
import { epicsFromBrief, featuresOf, storiesOf, tasksOf, testsOf } from './decompose.ts';
import { startMockTracker } from './testing/mock-tracker.ts';
import { idempotencyKey, trackerExportAgent } from './tracker-export.ts';

const BRIEF = fileURLToPath(new URL('../../../../examples/backlog/product-brief.md', import.meta.url));

async function exampleBacklog(): Promise<{ product: string; items: BacklogItem[] }> {
  const { product, epics } = epicsFromBrief(await readFile(BRIEF, 'utf8'), 'x');
  const features = epics.flatMap(featuresOf);
  const stories = features.flatMap(storiesOf);
  return { product, items: [...epics, ...features, ...stories, ...stories.flatMap(tasksOf), ...stories.flatMap(testsOf)] };
}

describe('decomposition by the brief\'s structure', () => {
  it('epics from "##", features from "###", stories from list items and requirement sentences', async () => {
    const { items, product } = await exampleBacklog();
    expect(product).toBe('Tidewater: a booking app for a community boat club');
    const count = (t: string) => items.filter((i) => i.type === t).length;
    expect([count('epic'), count('feature'), count('story')]).toEqual([3, 5, 13]);
    expect(count('task')).toBe(13 * 3);
    expect(items.every((i) => i.offline)).toBe(true);
    const story = items.find((i) => i.id === 'E1.F2.S1')!;
    expect(story.title).toBe("A member can book one boat for a slot of 2 to 4 hours");
    // A limit in the requirement gives a boundary criterion, and each criterion a test case.
    expect(story.acceptance_criteria.some((a) => a.includes('"of 2 to 4 hours"'))).toBe(true);
    expect(testsOf(story)).toHaveLength(story.acceptance_criteria.length);
    expect(testsOf(story)[0]!.steps[0]).toMatch(/^Given /);
  });

  it('prose sentences with a modal verb are requirements; others, headings and code are not', () => {
    const reqs = requirementsOf('Intro text here. Users must sign in first.\n\n```\nmust not count\n```\n\n- A list item\n  continued');
    expect(reqs.map((r) => r.text)).toEqual(['Users must sign in first.', 'A list item continued']);
    expect(splitRequirement('Members should be able to filter the calendar.')).toEqual({ actor: 'members', modal: 'should', action: 'filter the calendar' });
  });
});

describe('exports', () => {
  it('Jira CSV links by Issue ID / Parent ID; Azure DevOps CSV puts each level in its Title column, in tree order', async () => {
    const { items } = await exampleBacklog();
    const jira = jiraCsv(items).split('\r\n');
    expect(jira[0]).toBe('Issue ID,Parent ID,Issue Type,Summary,Description,Acceptance Criteria,Labels');
    expect(jira[1]).toMatch(/^E1,,Epic,Boat booking,/);
    const azure = azureCsv(items).split('\r\n');
    expect(azure[0]).toBe('ID,Work Item Type,Title 1,Title 2,Title 3,Title 4,Description,Acceptance Criteria,Tags');
    expect(azure[1]).toMatch(/^,Epic,Boat booking,,,,/);
    expect(azure[2]).toMatch(/^,Feature,,Availability calendar,,,/);
    expect(azure[3]).toMatch(/^,User Story,,,Members can see/);
  });

  it('the export agent flattens decompose outputs and writes all four files', async () => {
    const { items, product } = await exampleBacklog();
    const { ctx, dispose } = await createFakeContext();
    const out = await backlogExportAgent.run(ctx, { product, items: [items.filter((i) => i.type === 'epic'), { items: items.filter((i) => i.type !== 'epic') }] });
    expect(out.total).toBe(items.length);
    expect(out.counts).toMatchObject({ epic: 3, feature: 5, story: 13 });
    const json = JSON.parse(await readFile(out.json, 'utf8')) as { items: object[]; offline: boolean };
    expect(json.offline).toBe(true);
    expect(json.items[0]).not.toHaveProperty('body');
    await dispose();
  });
});

describe('tracker export through the outbox', () => {
  async function exported(): Promise<{ path: string; total: number; dispose: () => Promise<void>; ctx: Awaited<ReturnType<typeof createFakeContext>>['ctx'] }> {
    const { items, product } = await exampleBacklog();
    const fake = await createFakeContext();
    const path = `${fake.outDir}/backlog.json`;
    await writeFile(path, JSON.stringify({ product, items }));
    return { path, total: items.length, dispose: fake.dispose, ctx: fake.ctx };
  }

  it('creates every item once, parents first; a second run creates nothing', async () => {
    const tracker = await startMockTracker();
    const { path, total, ctx, dispose } = await exported();
    const first = await trackerExportAgent.run(ctx, { backlog: path, url: tracker.url });
    expect(first).toMatchObject({ created: total, already: 0, total });
    const second = await trackerExportAgent.run(ctx, { backlog: path, url: tracker.url });
    expect(second).toMatchObject({ created: 0, already: total });
    expect(tracker.stats().requests).toBe(total);
    expect([...tracker.stats().creationsByKey.values()].every((n) => n === 1)).toBe(true);
    await Promise.all([tracker.close(), dispose()]);
  });

  it('sends the token from the named variable as a bearer token, and refuses a variable that is not set', async () => {
    const tracker = await startMockTracker();
    const { path, total, ctx, dispose } = await exported();
    process.env['UCOP_TEST_TRACKER_TOKEN'] = 'tok-123';
    try {
      await trackerExportAgent.run(ctx, { backlog: path, url: tracker.url, token_env: 'UCOP_TEST_TRACKER_TOKEN' });
      expect(tracker.stats().bearer).toEqual(Array.from({ length: total }, () => 'Bearer tok-123'));
    } finally {
      delete process.env['UCOP_TEST_TRACKER_TOKEN'];
    }
    await expect(trackerExportAgent.run(ctx, { backlog: path, url: tracker.url, token_env: 'UCOP_TEST_TRACKER_TOKEN' })).rejects.toMatchObject({ retryable: false });
    await Promise.all([tracker.close(), dispose()]);
  });

  it('a flaky tracker fails the attempt (retryable); the retry sends only what the outbox does not hold', async () => {
    const tracker = await startMockTracker({ failRequests: [10] });
    const { path, total, ctx, dispose } = await exported();
    await expect(trackerExportAgent.run(ctx, { backlog: path, url: tracker.url, concurrency: 1 })).rejects.toMatchObject({ retryable: true });
    const retry = await trackerExportAgent.run(ctx, { backlog: path, url: tracker.url, concurrency: 1 });
    expect(retry.already).toBe(9);
    expect(retry.created).toBe(total - 9);
    expect(tracker.stats().created).toBe(total);
    await Promise.all([tracker.close(), dispose()]);
  });

  it('an item created but not recorded (a kill between the two) is answered from the key, not created again', async () => {
    const tracker = await startMockTracker();
    const { path, total, ctx, dispose } = await exported();
    await trackerExportAgent.run(ctx, { backlog: path, url: tracker.url });
    // Lose the outbox's last 5 lines and tear the one before them, as a SIGKILL during the write would.
    const outbox = ctx.artifacts.resolve('tracker-outbox.jsonl');
    const lines = (await readFile(outbox, 'utf8')).trim().split('\n');
    await writeFile(outbox, `${lines.slice(0, -6).join('\n')}\n${lines.at(-6)!.slice(0, 10)}`);
    const again = await trackerExportAgent.run(ctx, { backlog: path, url: tracker.url });
    expect(again).toMatchObject({ created: 0, replayed: 6, already: total - 6 });
    expect(tracker.stats().created).toBe(total);
    expect(idempotencyKey('p', 'E1')).toBe(idempotencyKey('p', 'E1'));
    expect(idempotencyKey('p', 'E1')).not.toBe(idempotencyKey('q', 'E1'));
    await Promise.all([tracker.close(), dispose()]);
  });
});
