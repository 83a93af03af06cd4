import type { FileLimits } from './file-limits.ts';
import type { StepFilesSetting } from './step-files-setting.ts';
import type { SettingsLayer } from './settings-layer.ts';

/** config/main.yaml, validated. Relative paths in it are relative to `dir`. */
export interface MainConfig {
  /** The file it was loaded from. */
  file: string;
  /** The directory of that file: the base of relative paths. */
  dir: string;
  /** Engine settings for every workflow (same keys as a workflow's `config:`). */
  defaults: SettingsLayer;
  agents: {
    /** Agent plugins to load: local files or npm package names. */
    plugins: string[];
  };
  /** The LLM providers file (e.g. `providers.yaml`). */
  providers_file?: string;
  /** Where the user's workflows live. */
  workflows_dir?: string;
  /** `limits:`, the size limits of files (see FileLimits). */
  limits?: Partial<FileLimits>;
  /** `step_files:`, which `steps/` files runs write (see StepFilesSetting). */
  step_files?: Partial<StepFilesSetting>;
  /** `secrets:`, names of environment variables whose values are masked everywhere. */
  secrets?: string[];
}
