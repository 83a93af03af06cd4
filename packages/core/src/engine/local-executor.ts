import type { AgentContext, AgentLookup } from '../agents/agent-definition.ts';
import type { ArtifactWriter } from '../agents/artifact-writer.ts';
import type { LlmCallOptions, LlmClient, LlmRequest, LlmResponse } from '../agents/llm-client.ts';
import type { Logger } from '../agents/logger.ts';
import { agentSchemaValidator } from '../dsl/json-schema-ajv.ts';
import type { JsonSchema } from '../dsl/workflow-document.ts';
import { UcopError } from '../errors/ucop-error.ts';
import { addFallbackCount } from '../run/fallback-counts.ts';
import { createStagedStateView } from '../state/staged-state-view.ts';
import type { StateReader } from '../state/state-store.ts';
import { abortReason } from './clock.ts';
import { RecordingArtifactWriter } from './recording-artifact-writer.ts';
import { scopedLogger, silentLogger } from './scoped-logger.ts';
import { AttemptFault, runInAttemptScope } from './stray-error-trap.ts';
import type { StepAttemptResult, StepAttemptSuccess, StepExecutionContext, StepExecutor, StepTask } from './step-executor.ts';
import { describeUnit } from './step-runtime.ts';
import { unavailableArtifactWriter } from './unavailable-artifacts.ts';
import { unavailableLlmClient } from './unavailable-llm.ts';

export interface LocalExecutorOptions {
  agents: AgentLookup;
  /** What the agents' state views read through to (the run's StateStore). */
  state: StateReader;
  /** @default a client that refuses every call */
  llm?: LlmClient;
  /** @default a writer that refuses (the run has no output directory) */
  artifacts?: ArtifactWriter;
  /** @default silent */
  logger?: Logger;
}

type Usage = NonNullable<StepAttemptSuccess['usage']>;

function isEmptySchema(schema: JsonSchema): boolean {
  for (const key in schema) if (Object.hasOwn(schema, key)) return false;
  return true;
}

function schemaProblems(schema: JsonSchema, value: unknown): string | undefined {
  // `{}` accepts everything: skip ajv entirely (most sim and simple agents declare no output schema).
  if (isEmptySchema(schema)) return undefined;
  const validate = agentSchemaValidator(schema);
  if (!validate || validate(value)) return undefined;
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}

/**
 * Runs step attempts in this process by calling the agent. It checks the input against the agent's
 * `inputSchema` (AGENT_INPUT_INVALID) and the output against its `outputSchema` (AGENT_OUTPUT_INVALID), and
 * gives the agent its context: the attempt's abort signal, a logger naming the step, a staged state view
 * (sealed as soon as the attempt is aborted or over, so late writes are refused), the LLM client with the
 * step's provider preference and usage accounting, an artifact writer that records what it wrote (and
 * refuses writes after an abort), and the attempt's span.
 */
export class LocalExecutor implements StepExecutor {
  readonly #agents: AgentLookup;
  readonly #state: StateReader;
  readonly #llm: LlmClient;
  readonly #artifacts: ArtifactWriter;
  readonly #logger: Logger;

  constructor(options: LocalExecutorOptions) {
    this.#agents = options.agents;
    this.#state = options.state;
    this.#llm = options.llm ?? unavailableLlmClient;
    this.#artifacts = options.artifacts ?? unavailableArtifactWriter;
    this.#logger = options.logger ?? silentLogger;
  }

  /**
   * Compiles the schema validators of these agents now, so that the first attempt of each does not pay for
   * it (compiling takes tens of ms: paid inside the run it would skew the first steps' times).
   */
  prepare(agentNames: Iterable<string>): void {
    for (const name of agentNames) {
      const agent = this.#agents.get(name);
      if (!agent) continue;
      for (const schema of [agent.inputSchema, agent.outputSchema]) if (!isEmptySchema(schema)) agentSchemaValidator(schema);
    }
  }

  async execute(task: StepTask, context: StepExecutionContext): Promise<StepAttemptResult> {
    const agent = this.#agents.get(task.agent);
    if (!agent) {
      const where = describeUnit(task.stepId, task.itemIndex);
      return { ok: false, error: new UcopError('UNKNOWN_AGENT', `${where} uses agent "${task.agent}", which is not registered; check the name with \`ucop agents\` or load its plugin`, { fields: { stepId: task.stepId, agent: task.agent } }) };
    }
    const inputProblems = schemaProblems(agent.inputSchema, task.input);
    if (inputProblems) {
      const where = describeUnit(task.stepId, task.itemIndex);
      return { ok: false, error: new UcopError('AGENT_INPUT_INVALID', `${where}: the input does not match agent "${agent.name}": ${inputProblems}; fix the step's \`with:\``, { fields: { stepId: task.stepId, itemIndex: task.itemIndex, agent: agent.name } }) };
    }
    const { signal } = context;
    // Sealed on the first write after an abort, and in any case when the attempt ends.
    const staged = createStagedStateView(this.#state, task.writes, task.stepId, signal);
    let usage: Usage | undefined;
    const llm: LlmClient = {
      generate: async (request: LlmRequest, callSignal: AbortSignal, callOptions?: LlmCallOptions): Promise<LlmResponse> => {
        let routed: LlmRequest = request.provider === undefined && task.provider !== undefined ? { ...request, provider: task.provider, fallback: request.fallback ?? task.fallback } : request;
        // Every call names its stage (for shared stage limits, breakers, batching and metrics) and carries
        // the step's own policy.
        if (routed.stage === undefined) routed = { ...routed, stage: { key: `${task.workflow}/${task.stepId}`, ...(task.policy ? { policy: task.policy } : {}), ...(task.itemIndex === undefined ? {} : { itemIndex: task.itemIndex }) } };
        // The provider's per-call spans go under the attempt's span unless the agent chose a span of its own.
        const response = await this.#llm.generate(routed, callSignal, { span: callOptions?.span ?? context.span });
        usage ??= { inputTokens: 0, outputTokens: 0, costUsd: 0, calls: 0, providers: [] };
        usage.calls += 1;
        usage.inputTokens += response.usage.inputTokens;
        usage.outputTokens += response.usage.outputTokens;
        usage.costUsd += response.usage.costUsd;
        if (!usage.providers.includes(response.provider)) usage.providers.push(response.provider);
        for (const f of response.fallbacks ?? []) addFallbackCount((usage.fallbacks ??= []), f.provider, f.to, f.code);
        if (response.rateLimitWaitMs) usage.rateLimitWaitMs = (usage.rateLimitWaitMs ?? 0) + response.rateLimitWaitMs;
        return response;
      },
    };
    const artifacts = new RecordingArtifactWriter(this.#artifacts, signal);
    const ctx: AgentContext = {
      signal,
      logger: scopedLogger(this.#logger, { step: task.stepId, item: task.itemIndex, attempt: task.attempt }),
      state: staged,
      llm,
      artifacts,
      span: context.span,
      run: { runId: task.runId, workflow: task.workflow, stepId: task.stepId, itemIndex: task.itemIndex, attempt: task.attempt },
    };
    // Errors the agent lets escape from timers or callbacks it started fail this attempt (stray-error-trap.ts).
    const fault = new AttemptFault(() => `${describeUnit(task.stepId, task.itemIndex)} (agent "${agent.name}")`);
    try {
      const output = await fault.watch(runInAttemptScope(fault, () => agent.run(ctx, task.input)));
      if (signal.aborted) return { ok: false, error: abortReason(signal) };
      const outputProblems = schemaProblems(agent.outputSchema, output);
      if (outputProblems) {
        const where = describeUnit(task.stepId, task.itemIndex);
        return { ok: false, error: new UcopError('AGENT_OUTPUT_INVALID', `${where}: agent "${agent.name}" returned output that does not match its outputSchema: ${outputProblems}; this is a bug in the agent (or its schema)`, { fields: { stepId: task.stepId, itemIndex: task.itemIndex, agent: agent.name } }) };
      }
      const result: StepAttemptSuccess = { ok: true, output, writes: staged.drain() };
      if (usage) result.usage = usage;
      if (artifacts.written) result.artifacts = artifacts.written;
      return result;
    } catch (error) {
      return { ok: false, error };
    } finally {
      fault.close();
      staged.seal();
    }
  }
}
