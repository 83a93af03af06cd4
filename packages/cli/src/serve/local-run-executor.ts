import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { openRunStore } from '@ucop/core';
import type { UcopError } from '@ucop/core';
import type { ProviderMetrics, RunExecutor, RunHooks, RunJob, RunOutcome } from '@ucop/server';
import type { LlmSetup } from '../llm-setup.ts';
import type { ProjectContext } from '../project-context.ts';
import { runPlanInStore } from '../workflow-execution.ts';
import type { RunSteps } from './run-steps.ts';
import type { WorkflowsDirectory } from './workflows-directory.ts';

export interface LocalRunExecutorOptions {
  workflows: WorkflowsDirectory;
  project: ProjectContext;
  llm: LlmSetup;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Where the step attempts of every run go, when not to this process (`ucop worker` processes through
   * BullMQ, with `--executor bullmq`), with the readiness and availability of what it depends on (Redis).
   * @default the engine's local executor
   */
  steps?: RunSteps;
}

/**
 * The daemon's default executor: runs each run in the daemon's process with the same engine, run store and
 * directory layout as `ucop run -o <run dir> --resume` (a run that was interrupted picks up from its journal;
 * finished steps are not run again). One provider layer is shared by all runs, so that their rate limits
 * and breakers are the daemon's, not each run's.
 */
export class LocalRunExecutor implements RunExecutor {
  readonly #workflows: WorkflowsDirectory;
  readonly #project: ProjectContext;
  readonly #llm: LlmSetup;
  readonly #env: Record<string, string | undefined>;
  readonly #steps: LocalRunExecutorOptions['steps'];

  constructor(options: LocalRunExecutorOptions) {
    this.#workflows = options.workflows;
    this.#project = options.project;
    this.#llm = options.llm;
    this.#env = { ...options.env };
    this.#steps = options.steps;
  }

  async execute(job: RunJob, hooks: RunHooks): Promise<RunOutcome> {
    const plan = await this.#workflows.plan(job.workflow, hooks.signal);
    const store = await openRunStore(job.dir, { resume: true, expectedUnits: plan.order.length });
    // Aborted when the run's steps lost their way to the workers (Redis went away): the run stops as a drain
    // would stop it, and the pool puts it back in the queue to resume from its record.
    const interruption = new AbortController();
    let interrupted: UcopError | undefined;
    const steps = this.#steps?.forRun({ id: job.id, dir: job.dir }, (reason) => {
      interrupted ??= reason;
      interruption.abort(reason);
    });
    const result = await runPlanInStore(plan, store, {
      project: this.#project,
      inputs: job.inputs,
      signal: AbortSignal.any([hooks.signal, interruption.signal]),
      urgentSignal: hooks.urgentSignal,
      onEvent: hooks.onEvent,
      env: this.#env,
      llm: this.#llm.client,
      resume: {},
      runId: job.id,
      ...(steps ? { executor: steps } : {}),
    });
    if (interrupted && !hooks.signal.aborted) return { status: result.record.status, interrupted: interrupted.message };
    return { status: result.record.status };
  }

  async admit(signal: AbortSignal): Promise<void> {
    await this.#steps?.admit(signal);
  }

  available(): boolean {
    return this.#steps?.available() ?? true;
  }

  onAvailable(listener: () => void): void {
    this.#steps?.onAvailable(listener);
  }

  /**
   * The workflows directory is readable; once a step called a model, at least one provider's breaker is not
   * open (the offline writer aside), i.e. model calls can go somewhere; and the step executor's own checks.
   */
  async ready(signal: AbortSignal): Promise<Record<string, boolean>> {
    const checks: Record<string, boolean> = { ...(await this.#steps?.ready(signal)) };
    try {
      await access(this.#workflows.dir, constants.R_OK);
      checks['workflows'] = true;
    } catch {
      checks['workflows'] = false;
    }
    const router = this.#llm.router();
    if (router) {
      const online = Object.entries(router.breakerStates()).filter(([name]) => name !== 'offline');
      checks['providers'] = online.length === 0 || online.some(([, state]) => state !== 'open' && state !== 'isolated');
    }
    return checks;
  }

  providerMetrics(): ProviderMetrics | undefined {
    const router = this.#llm.router();
    if (!router) return undefined;
    return { stats: router.stats(), breakers: router.breakerStates() };
  }
}
