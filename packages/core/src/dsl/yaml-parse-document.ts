import { LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';

/** A `yaml` Document with the line counter that turns its offsets into lines and columns. */
export interface ParsedYamlDocument {
  doc: Document;
  lines: LineCounter;
}

/**
 * Parses YAML text into a `yaml` Document, once: YAML 1.2 core schema, errors kept as data, no source tokens
 * kept, a LineCounter filled as the lexer meets line breaks. Duplicate keys are left to the conversion
 * (yaml-to-value.ts), because `yaml`'s own check compares every pair of keys of a map: quadratic in a
 * 10,000-step workflow.
 */
export function parseYamlDocument(source: string): ParsedYamlDocument {
  const lines = new LineCounter();
  const doc = withoutEnvironmentLookups(() =>
    parseDocument(source, { lineCounter: lines, schema: 'core', version: '1.2', uniqueKeys: false, prettyErrors: false, keepSourceTokens: false }),
  );
  return { doc, lines };
}

const NO_ENVIRONMENT: NodeJS.ProcessEnv = Object.freeze(Object.create(null) as NodeJS.ProcessEnv);

/**
 * Runs the synchronous `parse` with `process.env` replaced by an empty object, restored before returning.
 *
 * Why: `yaml` 2.x's Parser reads `process.env.LOG_TOKENS` once per token (a debugging switch), and every
 * `process.env` read is a call into the C++ environment accessor (about 0.6 µs each, 480,000 tokens in a
 * 10,000-step workflow). A plain empty object answers those reads at once: parseDocument of that workflow
 * took 644-674 ms of CPU without the swap and 513-524 ms with it (best of 8, interleaved, on the loaded
 * 2-core test machine). The parse is synchronous, so no other code can observe the swap; if `process.env`
 * cannot be replaced (a frozen `process`), the parse simply runs as it is. Remove this once `yaml` reads
 * the switch once instead of per token.
 */
function withoutEnvironmentLookups<T>(parse: () => T): T {
  const env = process.env;
  try {
    process.env = NO_ENVIRONMENT;
  } catch {
    return parse();
  }
  try {
    return parse();
  } finally {
    process.env = env;
  }
}
