/**
 * Keys that older pipelines (and earlier drafts of ucop) used, with the key that replaced them. Unknown-key
 * errors name the new key instead of guessing by spelling.
 */
export const RENAMED_KEYS: ReadonlyMap<string, string> = new Map([
  ['maxParallel', 'max_parallel'],
  ['concurrency_limit', 'max_parallel'],
  ['parallel_limit', 'max_parallel'],
  ['max_workers', 'max_parallel'],
  ['failFast', 'fail_fast'],
  ['retries', 'retry.attempts'],
  ['max_retries', 'retry.attempts'],
  ['timeout_seconds', 'timeout'],
  ['timeout_ms', 'timeout'],
  ['stepTimeout', 'step_timeout'],
  ['step_timeout_seconds', 'step_timeout'],
  ['maxSteps', 'max_steps'],
  ['depends_on', 'needs'],
  ['dependsOn', 'needs'],
  ['inputs_from', 'with'],
  ['params', 'with'],
  ['continueOnError', 'continue_on_error'],
  ['forEach', 'for_each'],
  ['when', 'if'],
  ['until', 'repeat.until'],
  ['max_iterations', 'repeat.max'],
  ['maxIterations', 'repeat.max'],
]);

/** The hint for an unknown key that is an old name, e.g. "renamed: use `retry.attempts`". */
export function renamedKeyHint(key: string, allowed: ReadonlySet<string> | undefined): string | undefined {
  const renamed = RENAMED_KEYS.get(key);
  if (renamed === undefined) return undefined;
  // Only when the new key is valid where the old one was written (`timeout_seconds` in a step or config).
  const head = renamed.split('.', 1)[0]!;
  if (allowed && !allowed.has(head)) return undefined;
  const example = renamed.includes('.') ? `: write \`${head}: { ${renamed.slice(head.length + 1)}: ... }\`` : '';
  const unit = /seconds|_ms$/.test(key) ? ' (a duration with a unit, e.g. `30s`)' : '';
  return `\`${key}\` was renamed to \`${renamed}\`${example}${unit}`;
}
