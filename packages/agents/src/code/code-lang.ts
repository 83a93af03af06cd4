/** The languages code.validate checks, by their canonical fence name. */
export type CheckedLang = 'ts' | 'tsx' | 'js' | 'jsx' | 'json' | 'yaml';

const ALIASES: Record<string, string> = {
  typescript: 'ts',
  mts: 'ts',
  cts: 'ts',
  javascript: 'js',
  mjs: 'js',
  cjs: 'js',
  node: 'js',
  yml: 'yaml',
  json5: 'json5',
  shell: 'sh',
  bash: 'sh',
  zsh: 'sh',
  console: 'sh',
};

/** A fence's language in canonical form: lower case, first word, aliases folded (`typescript` → `ts`). */
export function canonicalLang(lang: string): string {
  const first = lang.trim().split(/[\s{]/)[0]?.toLowerCase() ?? '';
  return ALIASES[first] ?? first;
}

const CHECKED: ReadonlySet<string> = new Set<CheckedLang>(['ts', 'tsx', 'js', 'jsx', 'json', 'yaml']);

export function isCheckedLang(lang: string): lang is CheckedLang {
  return CHECKED.has(lang);
}
