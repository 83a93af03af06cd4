import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../cli/ucop-process.ts';

/** The shipped pipelines and their examples, copied into a throw-away directory (as on a fresh clone). */
export interface PipelineProject {
  dir: string;
  path(relative: string): string;
  read(relative: string): string;
  remove(): void;
}

/** A copy of workflows/ and examples/; with `providersYaml`, a config/providers.yaml of its own. */
export function pipelineProject(providersYaml?: string): PipelineProject {
  const dir = mkdtempSync(join(tmpdir(), 'ucop-e2e-pipes-'));
  cpSync(join(REPO_ROOT, 'workflows'), join(dir, 'workflows'), { recursive: true });
  cpSync(join(REPO_ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
  if (providersYaml !== undefined) {
    mkdirSync(join(dir, 'config'));
    writeFileSync(join(dir, 'config/providers.yaml'), providersYaml);
  }
  return { dir, path: (r) => join(dir, r), read: (r) => readFileSync(join(dir, r), 'utf8'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A providers file whose only provider is the stub OpenAI-compatible server. */
export function stubProvidersYaml(baseUrl: string): string {
  return ['providers:', '  - name: stub', '    kind: openai-compatible', '    model: stub-model', `    base_url: ${baseUrl}`, '    timeout: 30s', 'retry: { max_attempts: 1 }', ''].join('\n');
}

export interface RunRecord {
  status: string;
  outputs: Record<string, unknown>;
  steps: { id: string; itemIndex?: number; status: string; resumed?: boolean }[];
}

export function readRecord(dir: string): RunRecord {
  return JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunRecord;
}
