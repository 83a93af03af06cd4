import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';

/** The repository root. */
export const REPO_ROOT = resolve(import.meta.dirname, '../../..');

/** The fixtures of the CLI end-to-end tests. */
export const FIXTURES = resolve(import.meta.dirname, 'fixtures');

/**
 * The real `ucop` binary: the npm-installed link when present, else the file it links to (a checkout whose
 * `npm install` predates the binary has no link yet; both are the same script).
 */
export function ucopBinary(): string {
  const link = resolve(REPO_ROOT, 'node_modules/.bin/ucop');
  return existsSync(link) ? realpathSync(link) : resolve(REPO_ROOT, 'packages/cli/bin/ucop.js');
}

export interface UcopProcessOptions {
  cwd?: string;
  /** Added to a clean environment (PATH and HOME only), so that the developer's UCOP_* and keys do not leak in. */
  env?: Record<string, string>;
}

/** Starts the binary with the Node running the tests (Node 24 under vitest). */
export function spawnUcop(args: readonly string[], options: UcopProcessOptions = {}): ChildProcess {
  return spawn(process.execPath, [ucopBinary(), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface UcopResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the binary to completion and collects its output. */
export function runUcop(args: readonly string[], options: UcopProcessOptions = {}): Promise<UcopResult> {
  const child = spawnUcop(args, options);
  return collect(child);
}

export function collect(child: ChildProcess): Promise<UcopResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}
