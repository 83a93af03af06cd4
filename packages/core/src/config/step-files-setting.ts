import { UcopError } from '../errors/ucop-error.ts';

/**
 * Which `steps/` files a run writes while it goes on. They are views of the journal (which holds every
 * unit's output); creating one small file per unit costs far more than running a no-op unit, so large runs
 * write none and `ucop outputs` reads outputs from the journal, or writes the files, on demand.
 * - `all`: every unit's file, whatever the run's size.
 * - `auto`: every unit's file while the run has at most `threshold` units (known at start: plan steps;
 *   fan-out items add to it as they appear); none past it.
 * - `none`: no unit files.
 */
export type StepFilesMode = 'all' | 'auto' | 'none';

export const STEP_FILES_MODES: readonly StepFilesMode[] = Object.freeze(['all', 'auto', 'none']);

/** The step files setting, resolved. */
export interface StepFilesSetting {
  /** @default 'auto' */
  mode: StepFilesMode;
  /**
   * In `auto`, the most units a run may have and still write their files.
   * @default 1000
   */
  threshold: number;
}

export const DEFAULT_STEP_FILES: Readonly<StepFilesSetting> = Object.freeze({ mode: 'auto', threshold: 1000 });

/** The names of the setting in every layer (flag, `UCOP_*` variable, key under `step_files:` in config/main.yaml). */
export const STEP_FILES_SETTINGS: Readonly<Record<keyof StepFilesSetting, { flag: string; env: string; key: string }>> = Object.freeze({
  mode: { flag: '--step-files', env: 'UCOP_STEP_FILES', key: 'mode' },
  threshold: { flag: '--step-files-threshold', env: 'UCOP_STEP_FILES_THRESHOLD', key: 'threshold' },
});

/**
 * The step files settings one layer gives (flags, variables or config/main.yaml's `step_files:`); empty values are ignored.
 * @throws UcopError USAGE (flags) or CONFIG_INVALID (variables, config) naming the setting whose value is bad
 */
export function stepFilesLayer(values: { mode?: string | undefined; threshold?: string | number | undefined }, layer: 'flag' | 'env' | 'config'): Partial<StepFilesSetting> {
  const out: Partial<StepFilesSetting> = {};
  const name = (key: keyof StepFilesSetting): string => {
    const s = STEP_FILES_SETTINGS[key];
    return layer === 'flag' ? s.flag : layer === 'env' ? s.env : `step_files.${s.key}`;
  };
  const bad = (key: keyof StepFilesSetting, expected: string, raw: unknown): UcopError =>
    new UcopError(layer === 'flag' ? 'USAGE' : 'CONFIG_INVALID', `${name(key)} must be ${expected}, got ${JSON.stringify(raw)}`, { fields: { setting: name(key) } });
  const mode = typeof values.mode === 'string' ? values.mode.trim() : values.mode;
  if (mode !== undefined && mode !== '') {
    if (!(STEP_FILES_MODES as readonly string[]).includes(mode)) throw bad('mode', STEP_FILES_MODES.map((m) => `\`${m}\``).join(', ').replace(/, ([^,]*)$/, ' or $1'), mode);
    out.mode = mode as StepFilesMode;
  }
  const raw = typeof values.threshold === 'string' ? values.threshold.trim() : values.threshold;
  if (raw !== undefined && raw !== '') {
    const n = typeof raw === 'number' ? raw : /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 0) throw bad('threshold', 'a whole number of units (0 or more)', raw);
    out.threshold = n;
  }
  return out;
}

/** The `UCOP_STEP_FILES*` layer of the environment. */
export function stepFilesFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<StepFilesSetting> {
  return stepFilesLayer({ mode: env[STEP_FILES_SETTINGS.mode.env], threshold: env[STEP_FILES_SETTINGS.threshold.env] }, 'env');
}

/** The effective setting: the first layer that sets each key (highest precedence first), else the default. */
export function resolveStepFiles(...layers: (Partial<StepFilesSetting> | undefined)[]): StepFilesSetting {
  return {
    mode: layers.find((l) => l?.mode !== undefined)?.mode ?? DEFAULT_STEP_FILES.mode,
    threshold: layers.find((l) => l?.threshold !== undefined)?.threshold ?? DEFAULT_STEP_FILES.threshold,
  };
}
