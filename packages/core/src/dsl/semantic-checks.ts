import type { AgentLookup } from '../agents/agent-definition.ts';
import type { Diagnostic } from '../errors/diagnostic.ts';
import type { CheckContext } from './check-context.ts';
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
export function semanticChecks(doc: WorkflowDocument, sourceMap: SourceMap, options: SemanticCheckOptions): Diagnostic[] {
  const expressions = workflowExpressions(doc);
  const ctx: CheckContext = {
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
  checkInputDefaults(ctx);
  return ctx.diagnostics;
}
