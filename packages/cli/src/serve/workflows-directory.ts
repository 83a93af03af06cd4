import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UcopError, resolveRunInputs } from '@ucop/core';
import type { CompiledPlan } from '@ucop/core';
import type { WorkflowCatalog, WorkflowInfo } from '@ucop/server';
import type { CliIO } from '../cli-io.ts';
import { diagnosticsError } from '../exit-status.ts';
import { parseInputAssignments } from '../input-values.ts';
import type { ProjectContext } from '../project-context.ts';
import { compileWorkflowFile } from '../workflow-compilation.ts';

/** A workflow name: a file name without extension, never a path. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/** In this order: a name with several files is the first one found (`a.yaml` before `a.json`). */
const EXTENSIONS = ['.yaml', '.yml', '.json'];

interface Cached {
  mtimeMs: number;
  size: number;
  plan: CompiledPlan;
}

/**
 * The daemon's workflows: the `.yaml` (`.yml`, `.json`) files of one directory, each named by its file name without the
 * extension. Compiled with the same layers as `ucop run` (configuration, UCOP_* environment), and kept
 * compiled until the file changes.
 */
export class WorkflowsDirectory implements WorkflowCatalog {
  readonly #dir: string;
  readonly #project: ProjectContext;
  readonly #io: Pick<CliIO, 'cwd' | 'env'>;
  readonly #cache = new Map<string, Cached>();

  constructor(dir: string, project: ProjectContext, io: Pick<CliIO, 'cwd' | 'env'>) {
    this.#dir = dir;
    this.#project = project;
    this.#io = io;
  }

  get dir(): string {
    return this.#dir;
  }

  /** The compiled plan of a workflow by name. @throws UcopError FILE_NOT_FOUND, or the workflow's diagnostics */
  async plan(name: string, signal: AbortSignal): Promise<CompiledPlan> {
    if (!NAME.test(name)) throw new UcopError('FILE_NOT_FOUND', `no workflow named "${name}" (names are file names without .yaml, .yml or .json)`, { fields: { workflow: name } });
    for (const extension of EXTENSIONS) {
      const path = join(this.#dir, `${name}${extension}`);
      let info;
      try {
        info = await stat(path);
      } catch {
        continue;
      }
      if (!info.isFile()) continue;
      const cached = this.#cache.get(path);
      if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.plan;
      const outcome = await compileWorkflowFile(path, this.#project, { ...this.#io, signal });
      if (!outcome.ok) throw diagnosticsError(outcome.diagnostics);
      this.#cache.set(path, { mtimeMs: info.mtimeMs, size: info.size, plan: outcome.plan });
      return outcome.plan;
    }
    throw new UcopError('FILE_NOT_FOUND', `no workflow named "${name}" in the daemon's workflows directory (see GET /v1/workflows)`, { fields: { workflow: name } });
  }

  async list(signal: AbortSignal): Promise<WorkflowInfo[]> {
    let names: string[];
    try {
      names = await readdir(this.#dir);
    } catch {
      return [];
    }
    const workflows: WorkflowInfo[] = [];
    const listed = new Set<string>();
    for (const file of names.sort()) {
      const extension = EXTENSIONS.find((e) => file.endsWith(e));
      if (!extension) continue;
      const name = file.slice(0, -extension.length);
      if (!NAME.test(name) || listed.has(name)) continue;
      listed.add(name);
      try {
        const plan = await this.plan(name, signal);
        workflows.push({
          name,
          ...(plan.description !== undefined ? { description: plan.description } : {}),
          inputs: Object.fromEntries(
            Object.entries(plan.inputs).map(([key, spec]) => [key, { type: spec.type, required: spec.required === true && spec.default === undefined, ...(spec.description !== undefined ? { description: spec.description } : {}) }]),
          ),
        });
      } catch {
        // An invalid file is not offered; submitting it reports why.
      }
    }
    return workflows;
  }

  async prepare(name: string, inputs: { values: Record<string, unknown>; assignments: string[] }, signal: AbortSignal): Promise<Record<string, unknown>> {
    const plan = await this.plan(name, signal);
    const given = { ...inputs.values, ...parseInputAssignments(inputs.assignments, plan.inputs) };
    // Refuses a missing or mistyped input now rather than when the run starts.
    resolveRunInputs(plan.inputs, given);
    return given;
  }
}
