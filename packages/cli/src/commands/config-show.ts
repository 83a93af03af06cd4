import type { Command } from 'commander';
import { EXIT_CODES, resolveEngineSettings, settingsFromEnv } from '@ucop/core';
import type { FileLimits, StepFilesSetting } from '@ucop/core';
import { globalOptions } from '../command-context.ts';
import type { CommandContext } from '../command-context.ts';
import { effectiveSettings, formatEffectiveSettings } from '../effective-settings.ts';
import type { EffectiveSetting } from '../effective-settings.ts';
import { diagnosticsError } from '../exit-status.ts';
import { engineFlagOptions, flagsLayer } from '../settings-flags.ts';
import { resolveStepFilesOption, stepFilesFlagOptions } from '../step-files-option.ts';
import type { StepFilesFlagOptions } from '../step-files-option.ts';
import { displayPath, loadProjectContext } from '../project-context.ts';
import type { ConfigOrigin } from '../project-context.ts';
import { compileWorkflowFile } from '../workflow-compilation.ts';

interface ConfigShowOptions extends StepFilesFlagOptions {
  json?: boolean;
  workflow?: string;
  engine?: 'parallel' | 'sequential';
  maxParallel?: number;
  failFast?: boolean;
  provider?: string;
  timeout?: string;
}

/** The `--json` document of `ucop config show`. */
export interface ConfigReport {
  mainConfig: { path: string | null; origin: ConfigOrigin };
  providersFile: string | null;
  workflow: string | null;
  settings: EffectiveSetting[];
  /** The size limits of workflow and configuration files, in bytes (RUNBOOK.md section 8). */
  fileLimits: FileLimits;
  /** Which `steps/` files a run writes (`--step-files`, UCOP_STEP_FILES*, `step_files:`; RUNBOOK.md section 3). */
  stepFiles: StepFilesSetting;
}

/**
 * `ucop config show`: every effective engine setting and where it came from (flag > env > workflow >
 * config > default). With `-w` the workflow's `config:` is a layer too; the run flags may be given to see
 * their effect.
 */
export function registerConfigCommand(program: Command, ctx: CommandContext): void {
  const config = program.command('config').description('inspect the configuration');
  const show = config
    .command('show')
    .description('print the effective settings and where each came from (flag, env, workflow, config, default); the run flags show their effect')
    .option('-w, --workflow <file>', 'include this workflow\'s config: layer');
  for (const option of engineFlagOptions()) show.addOption(option);
  for (const option of stepFilesFlagOptions()) show.addOption(option);
  show
    .option('--provider <name>', 'as `ucop run --provider`')
    .option('--json', 'print one JSON document')
    .action(async (options: ConfigShowOptions, command: Command) => {
      const { io } = ctx;
      const project = await loadProjectContext(io, globalOptions(command));
      const flags = flagsLayer(options);
      let settings: EffectiveSetting[];
      if (options.workflow !== undefined) {
        const outcome = await compileWorkflowFile(options.workflow, project, io, flags);
        if (!outcome.ok) throw diagnosticsError(outcome.diagnostics);
        settings = effectiveSettings(outcome.plan.settings, outcome.sources);
      } else {
        const resolved = resolveEngineSettings({ ...(project.mainConfig ? { mainConfig: project.mainConfig } : {}), env: settingsFromEnv(io.env), flags });
        settings = effectiveSettings(resolved.settings, resolved.sources);
      }
      const report: ConfigReport = {
        mainConfig: { path: project.mainConfigPath ? displayPath(io.cwd, project.mainConfigPath) : null, origin: project.mainConfigOrigin },
        providersFile: project.providersPath ? displayPath(io.cwd, project.providersPath) : null,
        workflow: options.workflow ?? null,
        settings,
        fileLimits: project.fileLimits,
        stepFiles: resolveStepFilesOption(options, io.env, project),
      };
      io.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatConfigReport(report));
      ctx.setExitCode(EXIT_CODES.success);
    });
}

const ORIGIN_TEXT: Record<ConfigOrigin, string> = {
  flag: 'from --config',
  env: 'from UCOP_CONFIG',
  cwd: 'found in the current directory',
  none: 'none found: built-in defaults',
};

export function formatConfigReport(report: ConfigReport): string {
  const lines = [
    `Main configuration: ${report.mainConfig.path ?? '-'} (${ORIGIN_TEXT[report.mainConfig.origin]})`,
    `Providers file:     ${report.providersFile ?? '- (offline writer only)'}`,
    ...(report.workflow ? [`Workflow:           ${report.workflow}`] : []),
    '',
    'Effective settings (precedence: flag > env > workflow > config > default):',
    ...formatEffectiveSettings(report.settings),
    '',
    `File size limits:   workflow ${report.fileLimits.workflowBytes} bytes, configuration ${report.fileLimits.configBytes} bytes`,
    `Step files:         ${report.stepFiles.mode}${report.stepFiles.mode === 'auto' ? ` (every unit's file for runs of at most ${report.stepFiles.threshold} units, none above)` : ''}`,
  ];
  return `${lines.join('\n')}\n`;
}
