/**
 * Provider names a workflow writes (`config.provider`, `config.fallback`, a step's `provider` and `fallback`)
 * checked against the providers file, so that a typo is a validation error with its line and column rather
 * than a failure in the middle of a run, after the steps before it have already spent their time.
 */
import { didYouMeanHint } from '@ucop/core';
import type { Diagnostic, DocPath, LoadedWorkflow } from '@ucop/core';

/** The offline writer answers in every run, listed in the providers file or not. */
const ALWAYS_AVAILABLE = 'offline';

/**
 * One `CONFIG_INVALID` diagnostic per provider name of the workflow that the providers file does not
 * define, with a "did you mean" hint.
 *
 * @param known the provider names of the providers file
 * @param providersFile where they come from, for the message (undefined: no providers file, offline only)
 */
export function unknownProviderDiagnostics(loaded: LoadedWorkflow, known: readonly string[], providersFile: string | undefined): Diagnostic[] {
  const names = new Set([...known, ALWAYS_AVAILABLE]);
  const { document, sourceMap } = loaded;
  const diagnostics: Diagnostic[] = [];
  const check = (name: string | undefined, path: DocPath): void => {
    if (name === undefined || names.has(name)) return;
    const where = providersFile === undefined ? 'there is no providers file, so only `offline` exists' : `${providersFile} defines ${[...names].map((n) => `\`${n}\``).join(', ')}`;
    const hint = didYouMeanHint(name, names);
    diagnostics.push({ file: loaded.file, ...sourceMap.locate(path), code: 'CONFIG_INVALID', message: `unknown provider \`${name}\`: ${where}`, ...(hint ? { hint } : {}) });
  };
  check(document.config.provider, ['config', 'provider']);
  document.config.fallback?.forEach((name, i) => check(name, ['config', 'fallback', i]));
  for (const [id, step] of Object.entries(document.steps)) {
    check(step.provider, ['steps', id, 'provider']);
    step.fallback?.forEach((name, i) => check(name, ['steps', id, 'fallback', i]));
  }
  return diagnostics;
}
