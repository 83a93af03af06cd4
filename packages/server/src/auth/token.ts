import { randomBytes } from 'node:crypto';
import { chmod, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UcopError } from '@ucop/core';

/** The token file in a data directory. */
export const TOKEN_FILE = 'token';

/** The daemon's bearer token and where it came from (never the token itself in a message). */
export interface DaemonToken {
  token: string;
  source: 'env' | 'file';
  /** The token file, when the token is in one. */
  path?: string;
  /** Whether this start created the file. */
  created: boolean;
}

/**
 * The token: `UCOP_TOKEN` when set, else `<dataDir>/token`, created on first start with 256 random bits and
 * mode 0600 (a file found readable by others is narrowed to 0600).
 */
export async function loadOrCreateToken(dataDir: string, env: Readonly<Record<string, string | undefined>>): Promise<DaemonToken> {
  const fromEnv = env['UCOP_TOKEN']?.trim();
  if (fromEnv) {
    if (fromEnv.length < 16) throw new UcopError('USAGE', 'UCOP_TOKEN is shorter than 16 characters: use a long random value (or unset it to use the token file)');
    return { token: fromEnv, source: 'env', created: false };
  }
  const path = join(dataDir, TOKEN_FILE);
  try {
    const handle = await open(path, 'wx', 0o600);
    const token = randomBytes(32).toString('base64url');
    try {
      await handle.writeFile(`${token}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { token, source: 'file', path, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  return { token: await readTokenFile(path), source: 'file', path, created: false };
}

/** Reads a token file (the client side too). */
export async function readTokenFile(path: string): Promise<string> {
  const token = (await readFile(path, 'utf8')).trim();
  if (token === '') throw new UcopError('CONFIG_INVALID', `the token file ${path} is empty: delete it and restart the daemon to create a new one`, { fields: { path } });
  return token;
}
