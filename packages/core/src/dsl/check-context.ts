import type { AgentLookup } from '../agents/agent-definition.ts';
import type { Diagnostic } from '../errors/diagnostic.ts';
import type { ErrorCode } from '../errors/error-codes.ts';
import type { DocPath, SourceMap, WorkflowDocument } from './workflow-document.ts';
import type { WorkflowExpressions } from './workflow-expressions.ts';

/** What every semantic check reads, and where it reports. */
export interface CheckContext {
  readonly doc: WorkflowDocument;
  readonly sourceMap: SourceMap;
  readonly agents: AgentLookup;
  readonly expressions: WorkflowExpressions;
  /** Dependencies of each step (existing steps only), in file order. */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  /** Concurrency groups whose limit is set outside the workflow (config/main.yaml, flags). */
  readonly externalConcurrencyGroups: ReadonlySet<string>;
  readonly diagnostics: Diagnostic[];
  /** Where the document sits: the top level, or a group's inner level (see group-level.ts). */
  readonly level: LevelScope;
}

/** What the scope of a level allows, given the groups around it. */
export interface LevelScope {
  /** A group's inner level written inline: `steps.X` naming no step here points out of the group. */
  readonly inline: boolean;
  /** `item` and `index` exist everywhere in the level (a `for_each` group around it). */
  readonly item: boolean;
  /** `iteration` and `previous` exist (a `repeat` group around it). */
  readonly loop: boolean;
  /** The enclosing group whose instances may run at the same time, if any (for STATE_WRITE_RACE). */
  readonly overlappingGroup?: string;
  /** The chain of group ids from the top level, for messages (`chapter.review`). */
  readonly path: readonly string[];
}

export const TOP_LEVEL: LevelScope = Object.freeze({ inline: false, item: false, loop: false, path: [] });

/** Position helpers bound to a check context. */
export function reporter(ctx: CheckContext) {
  const push = (code: ErrorCode, message: string, pos: { line: number; col: number }, hint?: string): void => {
    const d: Diagnostic = { file: ctx.sourceMap.file, line: pos.line, col: pos.col, code, message };
    if (hint) d.hint = hint;
    ctx.diagnostics.push(d);
  };
  return {
    /** Reports at the value at `path`. */
    at: (code: ErrorCode, path: DocPath, message: string, hint?: string) => push(code, message, ctx.sourceMap.locate(path), hint),
    /** Reports at the key of `path` (a step id, an unknown key). */
    atKey: (code: ErrorCode, path: DocPath, message: string, hint?: string) => push(code, message, ctx.sourceMap.locateKey(path), hint),
    /** Reports at a character inside the string at `path`, when its position can be known exactly. */
    atOffset: (code: ErrorCode, path: DocPath, offset: number | undefined, message: string, hint?: string) =>
      push(code, message, locateOffset(ctx.sourceMap, path, offset), hint),
    /** The line of a step's id, for messages that mention several steps. */
    stepLine: (id: string) => ctx.sourceMap.locateKey(['steps', id]).line,
  };
}

export function locateOffset(sourceMap: SourceMap, path: DocPath, offset: number | undefined): { line: number; col: number } {
  if (offset === undefined || !sourceMap.locateInValue) return sourceMap.locate(path);
  return sourceMap.locateInValue(path, offset);
}
