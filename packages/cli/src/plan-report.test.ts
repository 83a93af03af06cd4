import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { capturedIO } from './cli-io.ts';
import { runCli } from './program.ts';
import type { PlanReport } from './plan-report.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-plan-report-'));
  writeFileSync(
    join(dir, 'wf.yaml'),
    'version: 1\nname: wf\nsteps:\n  a: { agent: sim.delay, with: { ms: 10 } }\n  b: { agent: sim.delay, needs: [a], with: { ms: 10 } }\n  c: { agent: sim.delay, with: { ms: 10 } }\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function plan(args: string[]): Promise<string> {
  const io = capturedIO({ cwd: dir });
  expect(await runCli(['plan', 'wf.yaml', ...args], io)).toBe(0);
  return io.stdout.text();
}

describe('ucop plan', () => {
  it('numbers the parallel groups as --json, the step table and traces do: from 0', async () => {
    const report = JSON.parse(await plan(['--json'])) as PlanReport;
    expect(report.groups).toEqual([['a', 'c'], ['b']]);
    expect(report.steps.map((s) => [s.id, s.group])).toEqual([['a', 0], ['b', 1], ['c', 0]]);
    const text = await plan([]);
    expect(text).toContain('Parallel groups (2):\n   0. a, c\n   1. b\n');
    expect(text).toMatch(/\n {2}b +1 +sim\.delay /);
  });
});

describe('ucop plan with a fan-out', () => {
  it('weighs a 12-item fan-out by its items (not 1.00x and one item), and names fan-outs whose count it cannot know', async () => {
    writeFileSync(
      join(dir, 'fan.yaml'),
      [
        'version: 1',
        'name: fan',
        'inputs:',
        '  chapters: { type: array }',
        'steps:',
        '  outline: { agent: sim.delay, with: { ms: 10 } }',
        '  chapter: { agent: sim.delay, needs: [outline], for_each: "${{ inputs.chapters }}", expected_items: 12, with: { ms: 250 } , estimate: 250ms }',
        '  extra: { agent: sim.delay, for_each: "${{ steps.outline.output.ms }}", with: { ms: 5 } }',
        '',
      ].join('\n'),
    );
    const io = capturedIO({ cwd: dir });
    expect(await runCli(['plan', 'fan.yaml', '--max-parallel', '4', '--json'], io)).toBe(0);
    const report = JSON.parse(io.stdout.text()) as PlanReport;
    expect(report.estimate).toMatchObject({ workers: 4, totalWorkMs: 10 + 3000 + 5, criticalPathMs: 10 + 750, unknownItemCounts: ['extra'] });
    expect(report.estimate.estimatedSpeedup).toBeGreaterThan(3.5);
    expect(report.steps.find((s) => s.id === 'chapter')).toMatchObject({ expectedItems: 12 });
    const text = capturedIO({ cwd: dir });
    expect(await runCli(['plan', 'fan.yaml', '--max-parallel', '4'], text)).toBe(0);
    expect(text.stdout.text()).toContain('250ms x 12');
    expect(text.stdout.text()).toContain('Counted as one item (count unknown until run time; set expected_items:): extra');
  });
});
