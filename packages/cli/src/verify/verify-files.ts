import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Workflow files of a directory: `*.yaml`, `*.yml` and `*.json` (a workflow written as JSON), sorted, absolute. */
export function workflowFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ya?ml|json)$/.test(e.name))
    .map((e) => resolve(dir, e.name))
    .sort();
}

/** The files `ucop verify` validates: shipped workflows (with `workflows/examples/`), then the user's, with problems finding them. */
export interface VerifyFileSet {
  shipped: string[];
  user: string[];
  /** The main configuration files that exist: the shipped one, then the user's. */
  configFiles: string[];
  problems: string[];
}

/**
 * Collects the workflow and configuration files to check. The user's directory is `--workflows`, else the
 * main configuration's `workflows_dir` (passed in by the caller once it has read the file).
 */
export function collectVerifyFiles(root: string, cwd: string, workflowsDir: string | undefined): VerifyFileSet {
  const problems: string[] = [];
  // The shipped workflows and the examples next to them: an example that no longer validates (or runs
  // differently in the two engines) is a broken promise too.
  const shipped = [join(root, 'workflows'), join(root, 'workflows', 'examples')].flatMap((dir) => (existsSync(dir) ? workflowFilesIn(dir) : []));
  let user: string[] = [];
  if (workflowsDir !== undefined) {
    const dir = resolve(cwd, workflowsDir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) problems.push(`the workflows directory ${dir} does not exist: fix --workflows (or workflows_dir in config/main.yaml)`);
    else {
      user = workflowFilesIn(dir).filter((f) => !shipped.includes(f));
      if (user.length === 0 && !shipped.some((f) => f.startsWith(dir))) problems.push(`the workflows directory ${dir} holds no workflow file (*.yaml, *.yml, *.json)`);
    }
  }
  const configFiles = [...new Set([join(root, 'config', 'main.yaml'), resolve(cwd, 'config', 'main.yaml')])].filter((f) => existsSync(f));
  return { shipped, user, configFiles, problems };
}
