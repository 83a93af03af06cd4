import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { InputSpec } from '@ucop/core';

/**
 * Inputs for running a shipped workflow offline in the parity check. Inputs with a default keep it; a
 * required input without one is filled from the shipped examples when its name says what it is (`source`:
 * the example article; `manuscript`, `outline`, `brief`: the pipelines' examples). Anything else is reported, so that a new shipped workflow gets a sample here.
 */
export function sampleInputs(inputs: Readonly<Record<string, InputSpec>>, root: string): { inputs: Record<string, unknown>; missing: string[] } {
  const out: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [name, spec] of Object.entries(inputs)) {
    if (spec.default !== undefined || !spec.required) continue;
    const sample = SAMPLES[name]?.(root);
    if (sample === undefined) missing.push(name);
    else out[name] = sample;
  }
  return { inputs: out, missing };
}

/** The first markdown article under examples/ (sorted, so always the same one). */
function exampleArticle(root: string): string | undefined {
  const dir = join(root, 'examples');
  if (!existsSync(dir)) return undefined;
  const article = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md') && !/^readme\.md$/i.test(e.name))
    .map((e) => e.name)
    .sort()[0];
  return article === undefined ? undefined : join(dir, article);
}

/** A file the examples ship, when it is there. */
const shippedExample = (relative: string) => (root: string): string | undefined => {
  const path = join(root, 'examples', relative);
  return existsSync(path) ? path : undefined;
};

const SAMPLES: Record<string, (root: string) => unknown> = {
  source: exampleArticle,
  article: exampleArticle,
  manuscript: shippedExample('manuscript/keeper-of-skarholm.md'),
  outline: shippedExample('book/outline.md'),
  brief: shippedExample('backlog/product-brief.md'),
};
