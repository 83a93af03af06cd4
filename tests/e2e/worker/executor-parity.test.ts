import { copyFileSync, readFileSync, readdirSync, renameSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, collect, runUcop } from '../cli/ucop-process.ts';
import { TEST_REDIS_URL, freshName, redisAvailable } from '../../../packages/worker/src/testing/redis-for-tests.ts';
import { DistProject } from './worker-processes.ts';

/**
 * Parity: every shipped workflow gives byte-identical step outputs and artifacts, and the same outputs and
 * step outcomes in run.json, whether its steps run in the `ucop run` process or on `ucop worker` processes
 * through BullMQ. Both runs write to the same output path (one after the other), so paths in outputs agree.
 * New shipped workflows: add them here with the inputs they need.
 */
const available = await redisAvailable();

const SHIPPED: { file: string; inputs: string[] }[] = [
  { file: 'workflows/blog_generation.yaml', inputs: ['source=kb-article.md'] },
  { file: 'workflows/examples/fan-out.yaml', inputs: [] },
  { file: 'workflows/examples/failure-handling.yaml', inputs: [] },
  { file: 'workflows/examples/failure-handling.yaml', inputs: ['lint_failures=1', 'deploy_failures=1'] },
  { file: 'workflows/manuscript_edit.yaml', inputs: ['manuscript=keeper-of-skarholm.md'] },
  { file: 'workflows/book_chapters.yaml', inputs: ['outline=outline.md'] },
  { file: 'workflows/backlog.yaml', inputs: ['brief=product-brief.md'] },
];

/** The examples the workflows above read, copied into the test project under their base names. */
const EXAMPLES = ['examples/kb-article.md', 'examples/manuscript/keeper-of-skarholm.md', 'examples/book/outline.md', 'examples/backlog/product-brief.md'];

/** Every file under `dir` but the record and the journal (they hold ids and times), with its bytes. */
function files(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!['run.json', 'journal.ucop'].includes(relative(dir, path))) found[relative(dir, path)] = readFileSync(path, 'base64');
    }
  };
  walk(dir);
  return found;
}

/** What must agree in run.json: status, outputs, and each step's outcome (not ids or times). */
function outcome(dir: string): unknown {
  const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { status: string; outputs: unknown; steps: Record<string, unknown>[] };
  return {
    status: record.status,
    outputs: record.outputs,
    steps: record.steps.map((s) => ({ id: s['id'], itemIndex: s['itemIndex'], status: s['status'], attempts: s['attempts'], output: s['output'], fingerprint: s['fingerprint'], error: (s['error'] as { code?: string } | undefined)?.code })),
  };
}

let project: DistProject;
beforeAll(async () => {
  if (!available) return;
  project = new DistProject(TEST_REDIS_URL, freshName('parity'));
  for (const example of EXAMPLES) copyFileSync(resolve(REPO_ROOT, example), join(project.dir, basename(example)));
  await project.startWorker(['--concurrency', '8']);
}, 60_000);
afterAll(async () => {
  await project?.dispose();
});

describe.skipIf(!available)('parity: the bullmq executor and the local one give the same results', () => {
  it.each(SHIPPED.map((w, i) => [`${w.file} ${w.inputs.join(' ')}`, w, i] as const))('%s', async (_name, workflow, index) => {
    const file = resolve(REPO_ROOT, workflow.file);
    const inputs = workflow.inputs.flatMap((i) => ['-i', i]);
    const out = `out-${index}`;
    const local = await runUcop(['run', file, '-q', '-o', out, ...inputs], { cwd: project.dir });
    renameSync(join(project.dir, out), join(project.dir, `${out}-local`));
    const remote = await collect(project.startRun(file, ['-o', out, ...inputs]));
    expect(remote.code, remote.stderr).toBe(local.code);
    expect(files(join(project.dir, out))).toEqual(files(join(project.dir, `${out}-local`)));
    expect(outcome(join(project.dir, out))).toEqual(outcome(join(project.dir, `${out}-local`)));
  }, 60_000);
});
