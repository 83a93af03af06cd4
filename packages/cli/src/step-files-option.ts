import { Option } from 'commander';
import { DEFAULT_STEP_FILES, STEP_FILES_MODES, STEP_FILES_SETTINGS, resolveStepFiles, stepFilesFromEnv, stepFilesLayer } from '@ucop/core';
import type { StepFilesMode, StepFilesSetting } from '@ucop/core';
import type { ProjectContext } from './project-context.ts';

/** The step files flags of `ucop run` and `ucop generate`, as commander gives them. */
export interface StepFilesFlagOptions {
  stepFiles?: StepFilesMode;
  stepFilesThreshold?: string;
}

/** `--step-files <all|auto|none>` and `--step-files-threshold <n>`, with where an unset value comes from. */
export function stepFilesFlagOptions(): Option[] {
  const mode = STEP_FILES_SETTINGS.mode;
  const threshold = STEP_FILES_SETTINGS.threshold;
  return [
    new Option(
      `${mode.flag} <mode>`,
      `which steps/ files the run writes: all, auto (all when the run has at most the threshold's units, none past it) or none; the journal keeps every output, \`ucop outputs <dir>\` reads them (default: ${mode.env}, else step_files.mode in config/main.yaml, else ${DEFAULT_STEP_FILES.mode})`,
    ).choices([...STEP_FILES_MODES]),
    new Option(`${threshold.flag} <n>`, `in auto, the most units a run may have and still write their steps/ files (default: ${threshold.env}, else step_files.threshold in config/main.yaml, else ${DEFAULT_STEP_FILES.threshold})`),
  ];
}

/**
 * The step files setting of a run: flag > UCOP_STEP_FILES* variable > `step_files:` in config/main.yaml > default.
 * @throws UcopError USAGE for a bad flag value, CONFIG_INVALID for a bad variable
 */
export function resolveStepFilesOption(options: StepFilesFlagOptions, env: Readonly<Record<string, string | undefined>>, project: Pick<ProjectContext, 'mainConfig'>): StepFilesSetting {
  const flags = stepFilesLayer({ mode: options.stepFiles, threshold: options.stepFilesThreshold }, 'flag');
  return resolveStepFiles(flags, stepFilesFromEnv(env), project.mainConfig?.step_files);
}
