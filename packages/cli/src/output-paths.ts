/**
 * Checks of the places a command will write to, made before anything runs: a run that fails at its very
 * end because `-o` names a file (or `--trace` a directory) has already spent its time and, worse, may have
 * overwritten part of an earlier result. Both are bad usage (exit 2) naming the option.
 */
import { statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { UcopError } from '@ucop/core';

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** The closest existing ancestor of `path` (itself excluded) must be a directory for `path` to be created. */
function checkAncestor(path: string, option: string, shown: string): void {
  let parent = dirname(path);
  while (parent !== dirname(parent) && statOf(parent) === undefined) parent = dirname(parent);
  const stats = statOf(parent);
  if (stats && !stats.isDirectory()) {
    throw new UcopError('USAGE', `${option} ${shown}: ${parent} is a file, so nothing can be created under it; choose another path`, {
      fields: { option, path, blocking: parent },
    });
  }
}

/**
 * The output directory (`-o`) must be a directory or not exist yet (it is then created). Files already in it
 * are left alone: a run only writes `run.json`, `steps/` and the artifacts of its steps.
 *
 * @param path absolute path
 * @param shown the path as the user gave it, for the message
 */
export function checkOutputDirectory(path: string, shown: string = path, option = '-o'): void {
  // An empty -o resolves to the current directory: the run would write run.json and steps/ among the user's files.
  if (shown.trim() === '') {
    throw new UcopError('USAGE', `${option} is empty: give a directory for the run's output, e.g. ${option} out/run1 (it is created if missing)`, { fields: { option } });
  }
  const stats = statOf(path);
  if (stats) {
    if (!stats.isDirectory()) {
      throw new UcopError('USAGE', `${option} ${shown} is a file, not a directory: give a directory for the run's output (it is created if missing)`, {
        fields: { option, path },
      });
    }
    return;
  }
  checkAncestor(path, option, shown);
}

/** The trace file (`--trace file`) must not be a directory, and its directory must be creatable. */
export function checkTraceFile(path: string, shown: string = path): void {
  const stats = statOf(path);
  if (stats?.isDirectory()) {
    throw new UcopError('USAGE', `--trace ${shown} is a directory: give a file path, e.g. --trace ${shown.replace(/\/+$/, '')}/trace.json`, {
      fields: { option: '--trace', path },
    });
  }
  if (!stats) checkAncestor(path, '--trace', shown);
}

/**
 * The trace file of `--trace [file]`: the file given (checked), `<out>/trace.json` for a bare `--trace`, or
 * undefined when the option is absent.
 *
 * @param outDir absolute output directory
 */
export function traceFileFor(option: string | boolean | undefined, cwd: string, outDir: string): string | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return resolve(outDir, 'trace.json');
  const path = isAbsolute(option) ? option : resolve(cwd, option);
  checkTraceFile(path, option);
  return path;
}
