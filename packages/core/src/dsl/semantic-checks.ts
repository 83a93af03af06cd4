import type { AgentLookup } from '../agents/agent-definition.ts';
import type { Diagnostic } from '../errors/diagnostic.ts';
import { TOP_LEVEL, type CheckContext, type LevelScope } from './check-context.ts';
import { checkStepKinds } from './check-step-kinds.ts';
import { groupDocument, prefixedSourceMap } from './group-level.ts';
import { stepList } from './step-entries.ts';
import { locateOffset } from './check-context.ts';
import { checkAgents } from './check-agents.ts';
import { checkConcurrency } from './check-concurrency.ts';
import { checkCycles } from './check-cycles.ts';
import { checkDurations } from './check-durations.ts';
import { checkForEach } from './check-for-each.ts';
import { checkOutputFields } from './check-output-fields.ts';
import { checkInputDefaults } from './check-inputs.ts';
import { checkReferences } from './check-references.ts';
import { checkStateWrites } from './check-state-writes.ts';
import { stepDependencies } from './step-dependencies.ts';
import type { SourceMap, WorkflowDocument } from './workflow-document.ts';
import { workflowExpressions } from './workflow-expressions.ts';

export interface SemanticCheckOptions {
  agents: AgentLookup;
  /** Concurrency groups whose limits come from outside the workflow (config/main.yaml, flags). */
  externalConcurrencyGroups?: Iterable<string>;
}

/**
 * Every check that needs more than the schema, each with its own stable code: expressions parse, names
 * exist, agents exist and accept their input, the graph has no cycle, `for_each` yields lists, durations
 * parse, state writes are declared and race-free, concurrency groups have limits. Every problem is
 * reported, not only the first; the checks tolerate a document that failed the schema check.
 */
export function semanticChecks(doc: WorkflowDocument, sourceMap: SourceMap, options: SemanticCheckOptions, level: LevelScope = TOP_LEVEL): Diagnostic[] {
  const expressions = workflowExpressions(doc);
  const ctx: CheckContext = {
    level,
    doc,
    sourceMap,
    agents: options.agents,
    expressions,
    // Read by few checks (state write races): built only if one asks.
    get dependencies() {
      return stepDependencies(doc, expressions);
    },
    externalConcurrencyGroups: new Set(options.externalConcurrencyGroups ?? []),
    diagnostics: [],
  };
  for (const problem of expressions.problems) {
    const pos = locateOffset(sourceMap, problem.path, problem.offset);
    ctx.diagnostics.push({ file: sourceMap.file, line: pos.line, col: pos.col, code: problem.code, message: problem.message });
  }
  checkReferences(ctx);
  checkAgents(ctx);
  checkCycles(ctx);
  checkForEach(ctx);
  checkOutputFields(ctx);
  checkDurations(ctx);
  checkStateWrites(ctx);
  checkConcurrency(ctx);
  if (level === TOP_LEVEL) checkInputDefaults(ctx);
  checkStepKinds(ctx);
  const { ids, specs } = stepList(doc);
  for (let i = 0; i < ids.length; i += 1) {
    const step = specs[i]!;
    if (!step.steps) continue;
    const id = ids[i]!;
    const fanOut = step.for_each !== undefined;
    const overlapping = fanOut && step.max_parallel !== 1 && !(Array.isArray(step.for_each) && step.for_each.length <= 1);
    const inner: LevelScope = {
      inline: true,
      item: level.item || fanOut,
      loop: level.loop || step.repeat !== undefined,
      path: [...level.path, id],
      ...(overlapping ? { overlappingGroup: [...level.path, id].join('.') } : level.overlappingGroup ? { overlappingGroup: level.overlappingGroup } : {}),
    };
    ctx.diagnostics.push(...semanticChecks(groupDocument(doc, step), prefixedSourceMap(sourceMap, ['steps', id]), options, inner));
  }
  return ctx.diagnostics;
}
