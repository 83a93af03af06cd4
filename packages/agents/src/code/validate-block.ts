import { canonicalLang, isCheckedLang } from './code-lang.ts';
import type { CodeError } from './validators/code-error.ts';
import { validateJson } from './validators/validate-json.ts';
import { validateScript } from './validators/validate-typescript.ts';
import { validateYaml } from './validators/validate-yaml.ts';

/** The verdict on one block. `checked` is false for languages ucop cannot check (they count as ok). */
export type BlockVerdict = { lang: string; ok: boolean; checked: boolean; errors: CodeError[] };

/** Checks one code block with the parser of its language. */
export function validateBlock(code: string, lang: string): BlockVerdict {
  const canonical = canonicalLang(lang);
  if (!isCheckedLang(canonical)) return { lang: canonical, ok: true, checked: false, errors: [] };
  const errors = canonical === 'json' ? validateJson(code) : canonical === 'yaml' ? validateYaml(code) : validateScript(code, canonical);
  return { lang: canonical, ok: errors.length === 0, checked: true, errors };
}
