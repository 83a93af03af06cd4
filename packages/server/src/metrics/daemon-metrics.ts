import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RunEvent } from '@ucop/core';
import type { ProviderMetrics } from '../pool/run-executor.ts';
import { RUN_STATES } from '../queue/run-state.ts';
import type { RunState } from '../queue/run-state.ts';

/** Where the metrics read the values they report at scrape time. */
export interface MetricsSources {
  queueDepth(): Record<RunState, number>;
  activeRuns(): number;
  providers(): ProviderMetrics | undefined;
}

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
const BREAKER_VALUE: Record<string, number> = { closed: 0, 'half-open': 1, halfOpen: 1, open: 2, isolated: 3 };

/**
 * The daemon's Prometheus metrics, on a registry of its own (prom-client): the queue depth by state and the
 * active runs read at scrape time, run and step durations as histograms fed from the run events, and the
 * providers' counters and breaker states where the executor has providers. Labels stay few (workflow and
 * status, provider): never a run id or a step id.
 */
export class DaemonMetrics {
  readonly registry = new Registry();
  readonly #runDuration: Histogram<'workflow' | 'status'>;
  readonly #stepDuration: Histogram<'workflow' | 'status'>;
  /** Steps started and not finished yet, per run: `stepId[index]` → ms at start (run clock). */
  readonly #started = new Map<string, Map<string, number>>();

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    // Not prom-client's default metrics: some of its gauges end in `_total`, which `promtool check metrics` refuses.
    new Gauge({
      name: 'ucop_daemon_memory_bytes',
      help: 'Memory of the daemon process (resident set, V8 heap used, external)',
      labelNames: ['kind'],
      registers,
      collect() {
        const memory = process.memoryUsage();
        this.set({ kind: 'rss' }, memory.rss);
        this.set({ kind: 'heap_used' }, memory.heapUsed);
        this.set({ kind: 'external' }, memory.external);
      },
    });
    new Gauge({
      name: 'ucop_daemon_uptime_seconds',
      help: 'Seconds since the daemon process started',
      registers,
      collect() {
        this.set(process.uptime());
      },
    });
    new Gauge({
      name: 'ucop_queue_runs',
      help: 'Runs in the queue, by state',
      labelNames: ['state'],
      registers,
      collect() {
        const depth = sources.queueDepth();
        for (const state of RUN_STATES) this.set({ state }, depth[state]);
      },
    });
    new Gauge({
      name: 'ucop_active_runs',
      help: 'Runs the pool is running now',
      registers,
      collect() {
        this.set(sources.activeRuns());
      },
    });
    this.#runDuration = new Histogram({ name: 'ucop_run_duration_seconds', help: 'Wall time of a run (one pool slot holding it), by workflow and final status', labelNames: ['workflow', 'status'], buckets: DURATION_BUCKETS, registers });
    this.#stepDuration = new Histogram({ name: 'ucop_step_duration_seconds', help: 'Wall time of a step attempt, by workflow and outcome', labelNames: ['workflow', 'status'], buckets: DURATION_BUCKETS, registers });
    const last = new Map<string, number>();
    // Cumulative counters read from the providers: the counter grows by what the provider counted since the last scrape.
    const providerCounter = (name: string, help: string, field: 'attempts' | 'failures' | 'rateLimited' | 'retries') =>
      new Counter({
        name,
        help,
        labelNames: ['provider'],
        registers,
        collect() {
          const metrics = sources.providers();
          for (const [provider, stats] of Object.entries(metrics?.stats ?? {})) {
            const key = `${field}:${provider}`;
            const delta = stats[field] - (last.get(key) ?? 0);
            if (delta > 0) this.inc({ provider }, delta);
            else this.inc({ provider }, 0);
            last.set(key, stats[field]);
          }
        },
      });
    providerCounter('ucop_provider_requests_total', 'Requests sent to a text-model provider (attempts)', 'attempts');
    providerCounter('ucop_provider_errors_total', 'Requests to a provider that failed', 'failures');
    providerCounter('ucop_provider_rate_limit_waits_total', 'Requests a provider answered with a rate limit (then waited and retried)', 'rateLimited');
    new Gauge({
      name: 'ucop_provider_breaker_state',
      help: 'Circuit breaker of a provider: 0 closed, 1 half-open, 2 open, 3 isolated',
      labelNames: ['provider'],
      registers,
      collect() {
        for (const [provider, state] of Object.entries(sources.providers()?.breakers ?? {})) this.set({ provider }, BREAKER_VALUE[state] ?? -1);
      },
    });
  }

  /** Feeds the step histogram from a run's events. */
  onRunEvent(runId: string, workflow: string, event: RunEvent): void {
    if (event.type !== 'step.started' && event.type !== 'step.succeeded' && event.type !== 'step.failed') return;
    const unit = event.itemIndex === undefined ? event.stepId : `${event.stepId}[${event.itemIndex}]`;
    let started = this.#started.get(runId);
    if (event.type === 'step.started') {
      if (!started) this.#started.set(runId, (started = new Map()));
      started.set(unit, event.at);
      return;
    }
    const at = started?.get(unit);
    if (at === undefined) return;
    started!.delete(unit);
    this.#stepDuration.observe({ workflow, status: event.type === 'step.succeeded' ? 'succeeded' : 'failed' }, Math.max(0, event.at - at) / 1000);
  }

  /** A run left its pool slot. */
  onRunEnded(runId: string, workflow: string, status: string, seconds: number): void {
    this.#started.delete(runId);
    this.#runDuration.observe({ workflow, status }, seconds);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
