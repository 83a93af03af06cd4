import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A `redis-server` of a test's own, for tests that stop, restart or reconfigure Redis. */
export class OwnRedisServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'ucop-redis-'));
  #child: ChildProcess | undefined;

  readonly port: number;
  readonly args: readonly string[];

  constructor(port: number, args: readonly string[] = []) {
    this.port = port;
    this.args = args;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(args: readonly string[] = []): Promise<OwnRedisServer> {
    const server = new OwnRedisServer(await freePort(), args);
    await server.start();
    return server;
  }

  /** Starts (again, in the same directory: with AOF on, what was there comes back). */
  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', ...this.args], { stdio: 'ignore' });
    let failed: Error | undefined;
    child.once('error', (error) => (failed = new Error(`cannot start redis-server (${error.message}): install it (Debian: apt-get install redis-server)`)));
    this.#child = child;
    for (let i = 0; i < 100; i++) {
      if (failed) throw failed;
      const redis = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      redis.on('error', () => undefined);
      try {
        await redis.connect();
        await redis.ping();
        // With AOF, the server answers LOADING until the file is read back.
        return;
      } catch {
        await sleep(50);
      } finally {
        redis.disconnect();
      }
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  /** SIGTERM: a clean shutdown (the AOF is flushed), then waits for the exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
