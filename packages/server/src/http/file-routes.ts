import { createReadStream } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { UcopError } from '@ucop/core';
import type { FastifyInstance } from 'fastify';
import { runDirectory } from '../pool/run-pool.ts';
import type { DaemonContext } from './daemon-context.ts';
import { findRun } from './run-routes.ts';
import { ERROR_SCHEMA } from './run-view.ts';

/** Files of a run that are the daemon's own bookkeeping, not results. */
const HIDDEN = new Set(['.ucop-run.lock']);

/**
 * The file `path` (relative, `/`-separated) of a run directory, or FILE_NOT_FOUND: the path is resolved and
 * then its real path (symbolic links followed) must still be inside the run's real directory, and be a
 * regular file. `..`, absolute paths, NUL bytes and links out of the directory are all refused the same way.
 */
export async function confinedFile(runDir: string, path: string): Promise<{ path: string; size: number }> {
  const notFound = () => new UcopError('FILE_NOT_FOUND', 'no such file in the run directory', { fields: { path } });
  if (path === '' || path.includes('\0') || isAbsolute(path) || path.split(/[\\/]/).includes('..')) throw notFound();
  let root: string;
  let target: string;
  try {
    root = await realpath(runDir);
    target = await realpath(resolve(root, path));
  } catch {
    throw notFound();
  }
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel) || HIDDEN.has(rel)) throw notFound();
  const info = await stat(target);
  if (!info.isFile()) throw notFound();
  return { path: target, size: info.size };
}

/** `GET /v1/runs/:id/files` lists a run's files; `GET /v1/runs/:id/files/<path>` downloads one. */
export function registerFileRoutes(app: FastifyInstance, ctx: DaemonContext): void {
  const params = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' }, '*': { type: 'string', maxLength: 4096 } } } as const;
  app.get<{ Params: { id: string } }>(
    '/v1/runs/:id/files',
    { schema: { summary: 'List the files of a run directory', params, response: { 200: { type: 'object', properties: { files: { type: 'array', items: { type: 'string' } } } }, 401: ERROR_SCHEMA, 404: ERROR_SCHEMA } } },
    async (request) => {
      const run = findRun(ctx, request.params.id);
      const dir = runDirectory(ctx.runsDir, run.id);
      let entries: string[] = [];
      try {
        const found = await readdir(dir, { recursive: true, withFileTypes: true });
        entries = found.filter((e) => e.isFile()).map((e) => relative(dir, resolve(e.parentPath, e.name)).split(sep).join('/')).filter((f) => !HIDDEN.has(f));
      } catch {
        entries = [];
      }
      return { files: entries.sort() };
    },
  );
  app.get<{ Params: { id: string; '*': string } }>(
    '/v1/runs/:id/files/*',
    { schema: { summary: 'Download a file of a run directory (only from inside it)', params, response: { 401: ERROR_SCHEMA, 404: ERROR_SCHEMA } } },
    async (request, reply) => {
      const run = findRun(ctx, request.params.id);
      const file = await confinedFile(runDirectory(ctx.runsDir, run.id), request.params['*']);
      return reply
        .header('content-type', file.path.endsWith('.json') ? 'application/json' : 'application/octet-stream')
        .header('content-length', file.size)
        .header('x-content-type-options', 'nosniff')
        .send(createReadStream(file.path));
    },
  );
}
