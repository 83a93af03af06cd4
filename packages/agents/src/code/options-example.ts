import type { ApiReference } from '../ingest/api-reference.ts';
import { splitSentences } from '../text/sentences.ts';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const OPTION_KINDS: ReadonlySet<string> = new Set(['option', 'property', 'parameter', 'field']);

function comment(description: string): string {
  const first = splitSentences(description)[0] ?? '';
  return first === '' ? '' : ` // ${first.replace(/\*\//g, '* /')}`;
}

function isJsonValue(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds a TypeScript example from a reference's documented options and their defaults: an object
 * literal a reader can copy, one commented line per option. Undefined when no option has a default.
 */
export function optionsExample(ref: ApiReference): string | undefined {
  const options = ref.symbols.filter((s) => OPTION_KINDS.has(s.kind) && s.default !== undefined && isJsonValue(s.default));
  if (options.length === 0) return undefined;
  const lines = options.map((s) => {
    const key = IDENTIFIER.test(s.name) ? s.name : JSON.stringify(s.name);
    return `  ${key}: ${s.default},${comment(s.description)}`;
  });
  return [`// ${ref.title}: every option at its default (from ${ref.path})`, 'const options = {', ...lines, '};', ''].join('\n');
}
