import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import Mustache from 'mustache';
import { UcopError } from '@ucop/core';

/** The directory of the built-in prompt templates. */
export const DEFAULT_PROMPTS_DIR = shippedPromptsDir();

/**
 * The package's own `prompts/` once installed (a copy made when it is packed), else the repository's
 * `prompts/` in a checkout (packages/agents/src|dist/prompts → the root).
 */
function shippedPromptsDir(): string {
  const packaged = fileURLToPath(new URL('../../prompts/', import.meta.url));
  return existsSync(packaged) ? packaged : fileURLToPath(new URL('../../../../prompts/', import.meta.url));
}

export interface RenderPromptOptions {
  /** Directory holding `<name>.md` templates. @default DEFAULT_PROMPTS_DIR */
  dir?: string;
  signal?: AbortSignal;
}

/** A value a template may show: plain data only. */
export type PromptValue = string | number | boolean | null | undefined | readonly PromptValue[] | { readonly [key: string]: PromptValue };

/** Template names are file stems: no separators, so a name can never point outside the directory. */
const NAME = /^[a-z0-9][a-z0-9_-]*$/i;

/**
 * Keeps only data: functions (mustache would call them as lambdas) and other non-JSON values are dropped,
 * so that rendering a template can never run code that came in with the view.
 */
function dataOnly(value: unknown): PromptValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(dataOnly);
  if (typeof value === 'object') {
    const out: Record<string, PromptValue> = {};
    for (const [k, v] of Object.entries(value)) if (typeof v !== 'function') out[k] = dataOnly(v);
    return out;
  }
  return undefined;
}

/** Where a named template lives. */
export function promptPath(name: string, dir: string = DEFAULT_PROMPTS_DIR): string {
  if (!NAME.test(name)) {
    throw new UcopError('CONFIG_INVALID', `prompt template name "${name}" is not valid; use letters, digits, '-' and '_' only`, { fields: { name } });
  }
  return join(dir, `${name}.md`);
}

/** Renders a template string: mustache (logic-less), HTML escaping off, values inserted verbatim. */
export function renderTemplate(template: string, view: Record<string, unknown>): string {
  // No partials: `{{> x}}` renders nothing instead of reading files. Values are never re-parsed as
  // templates, so a value holding "{{ x }}" or "${{ x }}" comes out exactly as it went in.
  return Mustache.render(template, dataOnly(view), {}, { escape: (text: string) => text });
}

/**
 * Loads `prompts/<name>.md` (or `<dir>/<name>.md`) and renders it with `view`. A missing template is
 * FILE_NOT_FOUND with the path it looked at.
 *
 * @example
 * const prompt = await renderPrompt('section', { title: 'Retries', heading: 'Backoff', key_points: ['jitter'] });
 */
export async function renderPrompt(name: string, view: Record<string, unknown>, options: RenderPromptOptions = {}): Promise<string> {
  const path = promptPath(name, options.dir);
  let template: string;
  try {
    template = await readFile(path, { encoding: 'utf8', signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new UcopError('FILE_NOT_FOUND', `prompt template "${name}" not found at ${path}; create it or point the prompts directory elsewhere`, {
      fields: { name, path },
      cause: error,
    });
  }
  return renderTemplate(template, view);
}
