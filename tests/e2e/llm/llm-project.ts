import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away ucop project: config/providers.yaml, workflows and prompts written by the test. */
export interface LlmProject {
  dir: string;
  write(relativePath: string, content: string): string;
  remove(): void;
}

export function createLlmProject(providersYaml: string): LlmProject {
  const dir = mkdtempSync(join(tmpdir(), 'ucop-llm-e2e-'));
  const write = (relativePath: string, content: string): string => {
    const path = join(dir, relativePath);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    return path;
  };
  write('config/providers.yaml', providersYaml);
  return { dir, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A providers file with openai-compatible providers on the stub (no key needed). */
export function stubProviders(baseUrl: string, providers: { name: string; limits?: string; extra?: string }[], tail = ''): string {
  const lines = ['providers:'];
  for (const p of providers) {
    lines.push(`  - name: ${p.name}`, '    kind: openai-compatible', '    model: stub-model', `    base_url: ${baseUrl}`, '    timeout: 30s');
    if (p.limits) lines.push(`    limits: ${p.limits}`);
    if (p.extra) lines.push(p.extra);
  }
  lines.push('retry: { max_attempts: 1 }');
  return `${lines.join('\n')}\n${tail}`;
}
