import { parseDocument } from 'yaml';
import { UcopError } from '@ucop/core';

/** A markdown file split into its YAML front matter and its body. */
export interface FrontMatterSplit {
  data: Record<string, unknown>;
  body: string;
  /** 1-based line of the file on which the body starts. */
  bodyLine: number;
}

const FENCE = /^---[ \t]*\n([\s\S]*?)\n?---[ \t]*(?:\n|$)/;

/**
 * Splits off a leading `---` YAML block. It is parsed on the core schema with a small alias budget (front
 * matter is data, never a reason to expand a billion laughs); a block that is not a mapping counts as empty.
 * Invalid YAML is an AGENT_ERROR that points at the line in the file.
 */
export function splitFrontMatter(text: string, file: string): FrontMatterSplit {
  const normalised = text.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '');
  const match = FENCE.exec(normalised);
  if (!match) return { data: {}, body: normalised, bodyLine: 1 };
  const yamlText = match[1] ?? '';
  const doc = parseDocument(yamlText, { schema: 'core', uniqueKeys: true, prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    const line = (error.linePos?.[0]?.line ?? 1) + 1;
    const col = error.linePos?.[0]?.col ?? 1;
    throw new UcopError('AGENT_ERROR', `the front matter of ${file} is not valid YAML (line ${line}): ${error.message.split('\n')[0]}; fix it or remove the --- block`, {
      fields: { file, line, col },
      location: { file, line, col },
    });
  }
  const data: unknown = doc.toJS({ maxAliasCount: 50 });
  const body = normalised.slice(match[0].length);
  const bodyLine = match[0].split('\n').length - (match[0].endsWith('\n') ? 1 : 0) + 1;
  return { data: isRecord(data) ? data : {}, body, bodyLine };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
