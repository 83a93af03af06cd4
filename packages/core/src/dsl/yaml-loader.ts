import { LineCounter } from 'yaml';
import type { YAMLError } from 'yaml';
import type { Diagnostic } from '../errors/diagnostic.ts';
import type { ErrorCode } from '../errors/error-codes.ts';
import { resolveYamlLimits } from './yaml-limits.ts';
import type { YamlLimits } from './yaml-limits.ts';
import { flowDepthOverLimit } from './yaml-flow-depth.ts';
import { jsonFastPathValue } from './yaml-json-fast-path.ts';
import { parseYamlDocument } from './yaml-parse-document.ts';
import { YamlSourceMap } from './yaml-source-map.ts';
import { yamlToValue } from './yaml-to-value.ts';

/** A YAML file turned into plain values, with positions for error messages. */
export interface LoadedYaml {
  /** Undefined when the file could not be read as YAML at all (see `diagnostics`). */
  value: unknown;
  sourceMap: YamlSourceMap;
  /** Every problem found; the value is usable only when this is empty. */
  diagnostics: Diagnostic[];
}

/** How {@link loadYaml} reads a text. */
export interface LoadYamlOptions {
  /**
   * Read a text that is a JSON object with the runtime's JSON.parse when that gives exactly the value `yaml`
   * would (yaml-json-fast-path.ts); false always parses with `yaml` (tests compare the two).
   * @default true
   */
  jsonFastPath?: boolean;
}

/**
 * Parses YAML text safely, for workflows and configuration files alike, with `yaml`'s parseDocument alone:
 * YAML 1.2 core schema only (no `%YAML 1.1` with its `yes`/`no` booleans and sexagesimal numbers), duplicate
 * keys refused, `__proto__`, `constructor` and `prototype` keys refused and left out, tags other than the
 * JSON types refused, implicit keys over 1024 characters refused (by `yaml`), and the size, nesting and alias
 * limits of {@link YamlLimits} applied, the size before anything is parsed. The value is built in one walk
 * over `yaml`'s node tree; every line and column (of errors, and later of any value through the source map)
 * comes from those same nodes and their LineCounter.
 *
 * A text that is a JSON object (YAML 1.2 is a superset of JSON) is read with JSON.parse instead when the
 * value is the same and nothing in it is refused (see yaml-json-fast-path.ts); otherwise `yaml` reads it and
 * reports its problems; the source map of the fast path parses the text with `yaml` only when a position
 * is first asked for.
 */
export function loadYaml(source: string, file: string, limits: Partial<YamlLimits> = {}, options: LoadYamlOptions = {}): LoadedYaml {
  const effective = resolveYamlLimits(limits);
  const empty = new YamlSourceMap(file, source);
  const at = (code: ErrorCode, message: string, line = 1, col = 1): Diagnostic => ({ file, line, col, code, message });

  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > effective.maxBytes) {
    return {
      value: undefined,
      sourceMap: empty,
      diagnostics: [at('YAML_TOO_LARGE', `the file is ${bytes} bytes, more than the limit of ${effective.maxBytes}: split it or raise the limit`)],
    };
  }

  // Before the flow-depth scan: the fast path checks the depth of what JSON.parse built on its own, and
  // falls back to `yaml` (after the scan) when it is too deep.
  if (options.jsonFastPath !== false) {
    const value = jsonFastPathValue(source, effective.maxDepth);
    if (value !== undefined) return { value, sourceMap: new YamlSourceMap(file, source, 'on-demand'), diagnostics: [] };
  }

  const flow = flowDepthOverLimit(source, effective.maxDepth);
  if (flow) {
    const lines = new LineCounter();
    lines.addNewLine(0);
    for (let i = source.indexOf('\n'); i >= 0 && i < flow.offset; i = source.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
    const pos = lines.linePos(flow.offset);
    return {
      value: undefined,
      sourceMap: empty,
      diagnostics: [at('YAML_TOO_DEEP', `nesting is deeper than ${effective.maxDepth} levels: flatten the document`, pos.line, pos.col)],
    };
  }

  const parsed = parseYamlDocument(source);
  const { doc } = parsed;
  const sourceMap = new YamlSourceMap(file, source, parsed);
  const diagnostics: Diagnostic[] = [];

  const directive = doc.directives?.yaml;
  if (directive?.explicit && directive.version !== '1.2') {
    // A directive starts its line (`yaml` keeps no position for it); a `# %YAML` comment does not count.
    const pos = sourceMap.positionOf(Math.max(0, source.search(/^%YAML/m)));
    diagnostics.push(
      at('YAML_VERSION_REFUSED', `\`%YAML ${directive.version}\` is refused: workflows are YAML 1.2; remove the directive`, pos.line, pos.col),
    );
  }
  for (const error of doc.errors) diagnostics.push(fromYamlError(error, sourceMap, file));
  if (diagnostics.length > 0) return { value: undefined, sourceMap, diagnostics };

  const { value, problems } = yamlToValue(doc, effective);
  for (const problem of problems) {
    const pos = sourceMap.positionOf(problem.offset);
    const related = problem.relatedOffset === undefined ? '' : ` (first at line ${sourceMap.positionOf(problem.relatedOffset).line})`;
    diagnostics.push(at(problem.code, problem.message + related, pos.line, pos.col));
  }
  return { value, sourceMap, diagnostics };
}

function fromYamlError(error: YAMLError, sourceMap: YamlSourceMap, file: string): Diagnostic {
  const pos = sourceMap.positionOf(error.pos[0]);
  // The parser reports a blown stack as RESOURCE_EXHAUSTION: that is deep block nesting.
  const code: ErrorCode = error.code === 'RESOURCE_EXHAUSTION' ? 'YAML_TOO_DEEP' : error.code === 'DUPLICATE_KEY' ? 'YAML_DUPLICATE_KEY' : 'YAML_SYNTAX';
  const message =
    code === 'YAML_TOO_DEEP'
      ? 'nesting is too deep to parse: flatten the document'
      : error.code === 'MULTIPLE_DOCS'
        ? 'the file holds several YAML documents (`---`): keep one document per file'
        : firstLine(error.message);
  return { file, line: pos.line, col: pos.col, code, message };
}

function firstLine(message: string): string {
  const line = message.split('\n', 1)[0] ?? message;
  // yaml appends " at line L, column C:" which our own prefix already says.
  return line.replace(/ at line \d+, column \d+:?$/, '');
}
