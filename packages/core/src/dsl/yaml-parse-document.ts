import { LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';

/** A `yaml` Document with the line counter that turns its offsets into lines and columns. */
export interface ParsedYamlDocument {
  doc: Document;
  lines: LineCounter;
}

/**
 * Parses YAML text into a `yaml` Document the one way the loader and the source maps both use: YAML 1.2
 * core schema, errors kept as data. Duplicate keys are left to the conversion (yaml-to-value.ts), because
 * `yaml`'s own check compares every pair of keys of a map: quadratic in a 10,000-step workflow.
 */
export function parseYamlDocument(source: string): ParsedYamlDocument {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, schema: 'core', version: '1.2', uniqueKeys: false, prettyErrors: false });
  return { doc, lines };
}
