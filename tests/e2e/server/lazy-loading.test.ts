import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, ucopBinary } from '../cli/ucop-process.ts';
import { SERVER_FIXTURES } from './daemon-process.ts';

/** The packages a command loads, as the resolve hook reports them. */
function loaded(args: readonly string[]): Set<string> {
  const result = spawnSync(process.execPath, ['--import', join(SERVER_FIXTURES, 'report-loaded-packages.mjs'), ucopBinary(), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  return new Set([...result.stderr.matchAll(/^LOADED (\S+)$/gm)].map((m) => m[1]!));
}

describe('heavy packages are loaded only by the commands that use them', () => {
  it('`ucop --help` and `ucop serve --help` load neither bullmq nor ioredis nor fastify', () => {
    for (const args of [['--help'], ['serve', '--help']]) expect([...loaded(args)], args.join(' ')).toEqual([]);
  });
});
