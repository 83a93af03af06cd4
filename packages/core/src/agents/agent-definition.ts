import type { JsonSchema } from '../dsl/workflow-document.ts';
import type { LlmClient } from './llm-client.ts';
import type { StateView } from '../state/state-view.ts';
import type { ArtifactWriter } from './artifact-writer.ts';
import type { Logger } from './logger.ts';
import type { SpanHandle } from '../telemetry/tracer.ts';

/** Who is running: enough to name logs, artifacts and spans. */
export interface AgentRunInfo {
  runId: string;
  workflow: string;
  stepId: string;
  /** Index of the fan-out item, when the step has `for_each`. */
  itemIndex?: number;
  attempt: number;
}

/**
 * What an agent gets while it runs. Everything that waits takes `signal`; when it aborts (timeout,
 * fail-fast, run deadline) the agent must stop: the engine abandons it after a short grace and discards
 * whatever it returns or writes afterwards.
 */
export interface AgentContext {
  signal: AbortSignal;
  logger: Logger;
  /** Shared state: reads see a consistent snapshot; writes are staged and committed if the attempt succeeds. */
  state: StateView;
  llm: LlmClient;
  artifacts: ArtifactWriter;
  span: SpanHandle;
  run: AgentRunInfo;
}

/** An agent, defined once: its contract and its behaviour. */
export interface AgentDefinition<I = Record<string, unknown>, O = unknown> {
  /** Dotted name used in workflows, e.g. `writer.outline`. */
  name: string;
  /** Part of resume fingerprints: bump it when the agent's output for the same input changes. */
  version: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
  /** Default duration estimate in ms, used by plans until a step sets `estimate:`. */
  estimateMs: number;
  /**
   * Optional estimate from the step's literal `with:` values (expressions are absent from `input`), for
   * agents whose duration depends on their input. Returns undefined to fall back to `estimateMs`.
   */
  estimate?(input: Readonly<Record<string, unknown>>): number | undefined;
  /**
   * Optional: the output schema a step declares through its literal `with:` values (`llm.generate`'s
   * `output_schema`), which then replaces `outputSchema` for the validator's checks of that step's output
   * (`for_each` over a field, references to fields). Returns undefined to keep `outputSchema`.
   */
  outputSchemaFor?(input: Readonly<Record<string, unknown>>): JsonSchema | undefined;
  run(ctx: AgentContext, input: I): Promise<O>;
}

/** Looks agents up by name. The CLI fills one with the built-ins and configured plugins. */
export interface AgentLookup {
  get(name: string): AgentDefinition | undefined;
  names(): string[];
}
