import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * What a worker reports on its small HTTP port: `/metrics` (Prometheus), `/readyz` (200 while taking jobs,
 * 503 before start and while draining), `/healthz` (200 while the process runs).
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly jobs = new Counter({ name: 'ucop_worker_jobs_total', help: 'Step jobs by outcome: committed, rejected (late, fenced out), skipped (already answered or cancelled)', labelNames: ['outcome'] as const, registers: [this.registry] });
  readonly stalled = new Counter({ name: 'ucop_worker_stalled_jobs_total', help: 'Jobs this worker found stalled (their worker died) and put back', registers: [this.registry] });
  readonly running = new Gauge({ name: 'ucop_worker_running_jobs', help: 'Step jobs running in this process', registers: [this.registry] });
  readonly stepSeconds = new Histogram({ name: 'ucop_worker_step_seconds', help: 'Time to run one step job on this worker', buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600], registers: [this.registry] });
  readonly #ready = new Gauge({ name: 'ucop_worker_ready', help: '1 while the worker takes jobs', registers: [this.registry] });
  #isReady: () => boolean = () => false;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  setReady(isReady: () => boolean): void {
    this.#isReady = isReady;
  }

  /** Listens on 127.0.0.1 unless `host` says otherwise; port 0 picks a free one. */
  async listen(port: number, host = '127.0.0.1'): Promise<{ server: Server; port: number }> {
    const server = createServer((request, response) => {
      void (async () => {
        if (request.url === '/metrics') {
          this.#ready.set(this.#isReady() ? 1 : 0);
          response.writeHead(200, { 'content-type': this.registry.contentType }).end(await this.registry.metrics());
        } else if (request.url === '/readyz') {
          const ready = this.#isReady();
          response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready }));
        } else if (request.url === '/healthz') {
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        } else response.writeHead(404).end();
      })();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    return { server, port: (server.address() as AddressInfo).port };
  }
}
