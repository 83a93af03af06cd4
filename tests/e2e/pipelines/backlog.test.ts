import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStubLlmServer, type StubLlmServer } from '../../../packages/agents/src/providers/testing/stub-llm-server.ts';
import { startMockTracker, type MockTracker } from '../../../packages/agents/src/backlog/testing/mock-tracker.ts';
import { collect, runUcop, spawnUcop } from '../cli/ucop-process.ts';
import { pipelineProject, readRecord, stubProvidersYaml, type PipelineProject } from './pipeline-project.ts';

const BRIEF = 'examples/backlog/product-brief.md';
let project: PipelineProject | undefined;
let tracker: MockTracker | undefined;
afterEach(async () => {
  project?.remove();
  await tracker?.close();
  tracker = undefined;
});

type Row = Record<string, string>;

describe('workflows/backlog.yaml, offline from a fresh copy', () => {
  it('writes the backlog as JSON, markdown and CSV files that Jira and Azure DevOps import', async () => {
    project = pipelineProject();
    const result = await runUcop(['run', 'workflows/backlog.yaml', '-i', `brief=${BRIEF}`, '-o', 'out/bl', '--quiet'], { cwd: project.dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    for (const file of ['backlog.json', 'backlog.md', 'jira.csv', 'azure-devops.csv']) expect(result.stdout).toContain(project.path(`out/bl/${file}`));
    const json = JSON.parse(project.read('out/bl/backlog.json')) as { offline: boolean; counts: Record<string, number>; items: { id: string; parent: string }[] };
    expect(json.offline).toBe(true);
    expect(json.counts).toEqual({ epic: 3, feature: 5, story: 13, task: 39, test: 31 });
    const ids = new Set(json.items.map((i) => i.id));
    expect(json.items.every((i) => i.parent === '' || ids.has(i.parent))).toBe(true);

    // Parsed by a real CSV parser: every row has the header's columns, and the hierarchy holds.
    const jira = parse(project.read('out/bl/jira.csv'), { columns: true }) as Row[];
    expect(Object.keys(jira[0]!)).toEqual(['Issue ID', 'Parent ID', 'Issue Type', 'Summary', 'Description', 'Acceptance Criteria', 'Labels']);
    expect(jira).toHaveLength(91);
    const jiraIds = new Set(jira.map((r) => r['Issue ID']));
    expect(jira.every((r) => r['Parent ID'] === '' || jiraIds.has(r['Parent ID']!))).toBe(true);
    expect(new Set(jira.map((r) => r['Issue Type']))).toEqual(new Set(['Epic', 'Feature', 'Story', 'Sub-task', 'Test']));
    expect(jira.find((r) => r['Issue ID'] === 'E1.F2.S1')!['Acceptance Criteria']).toContain('Given the making a booking feature');

    const azure = parse(project.read('out/bl/azure-devops.csv'), { columns: true }) as Row[];
    expect(Object.keys(azure[0]!)).toEqual(['ID', 'Work Item Type', 'Title 1', 'Title 2', 'Title 3', 'Title 4', 'Description', 'Acceptance Criteria', 'Tags']);
    expect(azure).toHaveLength(91);
    const level = (r: Row) => [1, 2, 3, 4].find((n) => r[`Title ${n}`] !== '')!;
    // Exactly one title per row; each row's level is at most one below the row before it (tree order).
    expect(azure.every((r) => [1, 2, 3, 4].filter((n) => r[`Title ${n}`] !== '').length === 1)).toBe(true);
    expect(level(azure[0]!)).toBe(1);
    azure.slice(1).forEach((r, i) => expect(level(r)).toBeLessThanOrEqual(level(azure[i]!) + 1));
    expect(new Set(azure.map((r) => r['Work Item Type']))).toEqual(new Set(['Epic', 'Feature', 'User Story', 'Task', 'Test Case']));
    expect(project.read('out/bl/backlog.md')).toContain('Decomposed offline');
  });
});

describe('workflows/backlog.yaml with a provider (the stub OpenAI-compatible server)', () => {
  let stub: StubLlmServer;
  beforeAll(async () => {
    stub = await startStubLlmServer({ behaviour: () => ({ kind: 'ok', text: '- Given a member, when they book, then the booking is saved\n- Given a full slot, when they book, then it is refused' }) });
  });
  afterAll(() => stub.close());

  it('the stories stage asks the model for acceptance criteria; the rest stays structural', async () => {
    project = pipelineProject(stubProvidersYaml(stub.baseUrl));
    const result = await runUcop(['run', 'workflows/backlog.yaml', '-i', `brief=${BRIEF}`, '-o', 'out/p', '--quiet'], { cwd: project.dir });
    expect(result.code).toBe(0);
    expect(stub.completions()).toHaveLength(13);
    const json = JSON.parse(project.read('out/p/backlog.json')) as { items: { type: string; offline: boolean; acceptance_criteria: string[] }[] };
    const stories = json.items.filter((i) => i.type === 'story');
    expect(stories.every((s) => !s.offline && s.acceptance_criteria.length === 2)).toBe(true);
    expect(json.items.filter((i) => i.type === 'test')).toHaveLength(26);
  }, 60_000);
});

describe('the tracker export through the outbox (a local mock tracker that counts creations)', () => {
  it('creates every item once; a second run over the same output creates none', async () => {
    tracker = await startMockTracker();
    project = pipelineProject();
    const args = ['run', 'workflows/backlog.yaml', '-i', `brief=${BRIEF}`, '-i', `tracker_url=${tracker.url}`, '-o', 'out/t', '--quiet'];
    const first = await runUcop(args, { cwd: project.dir });
    expect(first.code).toBe(0);
    expect(readRecord(project.path('out/t')).outputs).toMatchObject({ items: 91, tracker_created: 91 });
    const again = await runUcop([...args, '--resume'], { cwd: project.dir });
    expect(again.code).toBe(0);
    const stats = tracker.stats();
    expect(stats.created).toBe(91);
    expect(stats.requests).toBe(91);
    expect([...stats.creationsByKey.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);

  it('SIGKILL in the middle of the export, then --resume: every item exists exactly once, children under their parents', async () => {
    tracker = await startMockTracker({ delayMs: 40 });
    project = pipelineProject();
    const args = ['run', 'workflows/backlog.yaml', '-i', `brief=${BRIEF}`, '-i', `tracker_url=${tracker.url}`, '-o', 'out/k', '--quiet'];
    const child = spawnUcop(args, { cwd: project.dir });
    const done = collect(child);
    // Kill once a third of the items exist: requests are in flight, some created items not yet in the outbox.
    while (tracker.stats().created < 30) await sleep(10);
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.signal).toBe('SIGKILL');
    const createdBeforeKill = tracker.stats().created;
    expect(createdBeforeKill).toBeLessThan(91);
    const recorded = readFileSync(project.path('out/k/tracker-outbox.jsonl'), 'utf8').split('\n').filter((l) => l.startsWith('{')).length;
    expect(recorded).toBeLessThanOrEqual(createdBeforeKill);

    const resumed = await runUcop([...args, '--resume'], { cwd: project.dir });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const stats = tracker.stats();
    expect(stats.created).toBe(91);
    expect(stats.creationsByKey.size).toBe(91);
    expect([...stats.creationsByKey.values()].every((n) => n === 1)).toBe(true);
    // What was created but not recorded before the kill was answered from its key, not created again.
    expect(stats.replays).toBe(createdBeforeKill - recorded);
    const parents = [...stats.items.values()].filter((i) => i.parent !== null);
    expect(parents.every((i) => stats.items.has(i.parent!))).toBe(true);
    const outbox = readFileSync(project.path('out/k/tracker-outbox.jsonl'), 'utf8').split('\n').filter((l) => l.startsWith('{'));
    expect(new Set(outbox.map((l) => (JSON.parse(l) as { key: string }).key)).size).toBe(91);
  }, 60_000);

  it('a tracker that fails a request: the step is retried and sends only what the outbox does not hold', async () => {
    tracker = await startMockTracker({ failRequests: [20] });
    project = pipelineProject();
    const result = await runUcop(['run', 'workflows/backlog.yaml', '-i', `brief=${BRIEF}`, '-i', `tracker_url=${tracker.url}`, '-o', 'out/r', '--quiet'], { cwd: project.dir });
    expect(result.code).toBe(0);
    const stats = tracker.stats();
    expect(stats.failed).toBe(1);
    expect(stats.created).toBe(91);
    expect([...stats.creationsByKey.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);
});
