import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { isAbsolute, join, resolve, sep, dirname, posix, win32 } from 'node:path';
import { UcopError } from '../errors/ucop-error.ts';

function escape(root: string, relative: string, why: string): UcopError {
  return new UcopError('ARTIFACT_PATH_ESCAPE', `path "${relative}" is not allowed under ${root}: ${why}; use a relative path without ".." that stays inside the output directory`, {
    fields: { root, path: relative },
  });
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root.endsWith(sep) ? root : root + sep);
}

function realRoot(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return root; // not created yet: nothing in it can be a symlink
  }
}

/**
 * Resolves `relative` inside `root` and returns the absolute path, or throws ARTIFACT_PATH_ESCAPE when it
 * could end up outside: NUL bytes, absolute paths (POSIX or Windows style), `..` segments, an empty path,
 * or a symlink (on an existing part of the path) that points outside the root.
 *
 * The path does not need to exist. Checks run at call time; a symlink created afterwards by someone else is
 * outside what this function can promise.
 */
export function resolveInside(root: string, relative: string): string {
  const rootAbs = resolve(root);
  if (relative.includes('\0')) throw escape(rootAbs, relative, 'it contains a NUL byte');
  if (isAbsolute(relative) || posix.isAbsolute(relative) || win32.isAbsolute(relative)) throw escape(rootAbs, relative, 'it is absolute');
  const segments = relative.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw escape(rootAbs, relative, 'it contains ".."');
  if (segments.length === 0) throw escape(rootAbs, relative, 'it names the output directory itself');
  const target = join(rootAbs, ...segments);
  if (!isInside(rootAbs, target)) throw escape(rootAbs, relative, 'it resolves outside the root');

  // Follow every existing segment: a symlink anywhere on the way must stay inside the (real) root.
  const rootReal = realRoot(rootAbs);
  let current = rootAbs;
  for (const segment of segments) {
    current = join(current, segment);
    let isLink: boolean;
    try {
      isLink = lstatSync(current).isSymbolicLink();
    } catch {
      break; // the rest does not exist yet
    }
    if (!isLink) continue;
    let real: string;
    try {
      real = realpathSync(current);
    } catch {
      // A dangling link: judge where it points.
      real = resolve(dirname(current), readlinkSync(current));
    }
    if (!isInside(rootReal, real) && !isInside(rootAbs, real)) throw escape(rootAbs, relative, `"${segment}" is a symlink that points outside the root`);
  }
  return target;
}
