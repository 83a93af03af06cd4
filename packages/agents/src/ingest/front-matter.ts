import { UcopError, loadYaml } from '@ucop/core';

/** A markdown file split into its YAML front matter and its body. */
export interface FrontMatterSplit {
  data: Record<string, unknown>;
  body: string;
  /** 1-based line of the file on which the body starts. */
  bodyLine: number;
}

const FENCE = /^---[ \t]*\n([\s\S]*?)\n?---[ \t]*(?:\n|$)/;

/**
 * Splits off a leading `---` YAML block. It is read with core's YAML loader, like workflows (core schema,
 * size, depth and alias limits, no `__proto__` keys: front matter is data, never a reason to expand a
 * billion laughs); a block that is not a mapping counts as empty. Invalid YAML is an AGENT_ERROR that points
 * at the line in the file.
 */
export function splitFrontMatter(text: string, file: string): FrontMatterSplit {
  const normalised = text.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '');
  const match = FENCE.exec(normalised);
  if (!match) return { data: {}, body: normalised, bodyLine: 1 };
  const { value: data, diagnostics } = loadYaml(match[1] ?? '', file);
  const problem = diagnostics[0];
  if (problem) {
    // The block starts on the line after the opening `---`.
    const line = problem.line + 1;
    const col = problem.col;
    throw new UcopError('AGENT_ERROR', `the front matter of ${file} is not valid YAML (line ${line}): ${problem.message}; fix it or remove the --- block`, {
      fields: { file, line, col, yamlCode: problem.code },
      location: { file, line, col },
    });
  }
  const body = normalised.slice(match[0].length);
  const bodyLine = match[0].split('\n').length - (match[0].endsWith('\n') ? 1 : 0) + 1;
  return { data: isRecord(data) ? data : {}, body, bodyLine };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
