import { basename, extname } from 'node:path';
import type { ApiExample, ApiReference, ApiSymbol } from './api-reference.ts';

/** Keys under which reference files list their symbols, and the kind each implies. */
const SYMBOL_LISTS: readonly [string, string][] = [
  ['options', 'option'],
  ['properties', 'property'],
  ['parameters', 'parameter'],
  ['fields', 'field'],
  ['methods', 'method'],
  ['functions', 'function'],
  ['endpoints', 'endpoint'],
  ['events', 'event'],
  ['types', 'type'],
];

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toSymbol(name: string, kind: string, item: Record<string, unknown>): ApiSymbol {
  const symbol: ApiSymbol = { name, kind, description: str(item.description) ?? str(item.summary) ?? '' };
  const method = str(item.method);
  const signature = str(item.signature) ?? (method && str(item.path) ? `${method.toUpperCase()} ${str(item.path)}` : undefined);
  if (signature) symbol.signature = signature;
  const type = str(item.type);
  if (type) symbol.type = type;
  if (item.default !== undefined) symbol.default = JSON.stringify(item.default);
  return symbol;
}

function symbolsOf(data: Record<string, unknown>): ApiSymbol[] {
  const out: ApiSymbol[] = [];
  for (const [key, kind] of SYMBOL_LISTS) {
    const list = data[key];
    if (Array.isArray(list)) {
      for (const item of list) {
        if (!isRecord(item)) continue;
        const name = str(item.name) ?? str(item.id) ?? str(item.path);
        if (name) out.push(toSymbol(name, kind, item));
      }
    } else if (isRecord(list)) {
      // The map form: `options: { timeoutMs: { type: number, ... } }`.
      for (const [name, item] of Object.entries(list)) if (isRecord(item)) out.push(toSymbol(name, kind, item));
    }
  }
  return out;
}

function examplesOf(data: Record<string, unknown>, title: string): ApiExample[] {
  const out: ApiExample[] = [];
  const single = str(data.example);
  if (single) out.push({ lang: (str(data.example_lang) ?? '').toLowerCase(), code: single, title: `${title} example` });
  if (Array.isArray(data.examples)) {
    data.examples.forEach((item, i) => {
      if (typeof item === 'string' && item.trim() !== '') out.push({ lang: '', code: item, title: `${title} example ${i + 1}` });
      else if (isRecord(item) && str(item.code)) {
        out.push({ lang: (str(item.lang) ?? str(item.language) ?? '').toLowerCase(), code: str(item.code)!, title: str(item.title) ?? `${title} example ${i + 1}` });
      }
    });
  }
  return out;
}

/**
 * Reads a JSON or YAML reference file that follows the loose convention: `title`/`name`, `description`,
 * symbol lists (`options`, `methods`, `endpoints`, ...) of objects with `name`, `type`, `default`,
 * `description`, and `example`/`examples`. Unknown shapes still give a title and whatever matched.
 */
export function structuredReference(data: unknown, path: string, format: 'json' | 'yaml'): ApiReference {
  const record = isRecord(data) ? data : {};
  const title = str(record.title) ?? str(record.name) ?? basename(path, extname(path));
  return {
    path,
    format,
    title,
    summary: str(record.description) ?? str(record.summary) ?? '',
    symbols: symbolsOf(record),
    examples: examplesOf(record, title),
  };
}

/** The prose a writer may quote: the summary, then one sentence per symbol. */
export function referenceText(ref: ApiReference): string {
  const lines = ref.symbols.map((s) => {
    const facts = [s.type, s.default !== undefined ? `default \`${s.default}\`` : undefined].filter(Boolean).join(', ');
    const head = `\`${s.signature ?? s.name}\`${facts ? ` (${facts})` : ''}`;
    const description = s.description.replace(/\s+/g, ' ').trim();
    return description === '' ? `${head} is a ${s.kind} of ${ref.title}.` : `${head}: ${/[.!?]$/.test(description) ? description : `${description}.`}`;
  });
  return [ref.summary, ...lines].filter((l) => l !== '').join('\n\n');
}
