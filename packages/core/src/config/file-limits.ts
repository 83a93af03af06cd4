import { UcopError } from '../errors/ucop-error.ts';

/**
 * The size limits of the files ucop reads, in bytes. Each is a setting: a command-line flag, a `UCOP_*`
 * variable or a key under `limits:` in config/main.yaml (highest precedence first). The main configuration's
 * own limit cannot come from the file it limits: for config/main.yaml only the flag and the variable count.
 */
export interface FileLimits {
  /**
   * Largest workflow file.
   * @default 1048576 (1 MiB)
   */
  workflowBytes: number;
  /**
   * Largest configuration file (config/main.yaml, the providers file).
   * @default 1048576 (1 MiB)
   */
  configBytes: number;
}

export const DEFAULT_FILE_LIMITS: Readonly<FileLimits> = Object.freeze({ workflowBytes: 1024 * 1024, configBytes: 1024 * 1024 });

/** Largest article `ucop generate -i` reads, and largest source an ingestion agent reads: not a setting. */
export const MAX_ARTICLE_BYTES = 5 * 1024 * 1024;

/** The names of each limit's setting in every layer. */
export const FILE_LIMIT_SETTINGS: Readonly<Record<keyof FileLimits, { flag: string; env: string; key: string }>> = Object.freeze({
  workflowBytes: { flag: '--max-workflow-bytes', env: 'UCOP_MAX_WORKFLOW_BYTES', key: 'max_workflow_bytes' },
  configBytes: { flag: '--max-config-bytes', env: 'UCOP_MAX_CONFIG_BYTES', key: 'max_config_bytes' },
});

/** The words that tell a user how to raise a limit: `--max-workflow-bytes, UCOP_MAX_WORKFLOW_BYTES or ...`. */
export function describeLimitSetting(limit: keyof FileLimits): string {
  const s = FILE_LIMIT_SETTINGS[limit];
  return `${s.flag}, ${s.env} or \`limits: { ${s.key}: ... }\` in config/main.yaml`;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3 };

/**
 * A size in bytes: a whole number, optionally followed by a unit (`KiB`, `MiB`, `GiB`, `kB`, `MB`, `GB`;
 * case does not matter), e.g. `4MiB` or `3000000`. Undefined when it does not parse or is 0.
 */
export function parseByteSize(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isSafeInteger(text) && text > 0 ? text : undefined;
  const match = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = UNITS[match[2]!.toLowerCase()];
  const bytes = unit === undefined ? Number.NaN : Number(match[1]) * unit;
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/**
 * The limits one layer gives (`--max-*-bytes` values, `UCOP_MAX_*_BYTES` variables), each parsed with
 * {@link parseByteSize}; empty values are ignored.
 * @throws UcopError CONFIG_INVALID (or USAGE for flags) naming the setting whose value does not parse
 */
export function fileLimitsLayer(values: Partial<Record<keyof FileLimits, string | number | undefined>>, layer: 'flag' | 'env' | 'config'): Partial<FileLimits> {
  const out: Partial<FileLimits> = {};
  for (const limit of Object.keys(FILE_LIMIT_SETTINGS) as (keyof FileLimits)[]) {
    const raw = values[limit];
    if (raw === undefined || raw === '') continue;
    const bytes = parseByteSize(raw);
    if (bytes === undefined) {
      const s = FILE_LIMIT_SETTINGS[limit];
      const name = layer === 'flag' ? s.flag : layer === 'env' ? s.env : `limits.${s.key}`;
      throw new UcopError(layer === 'flag' ? 'USAGE' : 'CONFIG_INVALID', `${name} must be a size in bytes of at least 1, such as 4MiB or 3000000, got ${JSON.stringify(raw)}`, { fields: { setting: name } });
    }
    out[limit] = bytes;
  }
  return out;
}

/** The `UCOP_MAX_*_BYTES` layer of the environment. */
export function fileLimitsFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<FileLimits> {
  return fileLimitsLayer({ workflowBytes: env[FILE_LIMIT_SETTINGS.workflowBytes.env]?.trim(), configBytes: env[FILE_LIMIT_SETTINGS.configBytes.env]?.trim() }, 'env');
}

/** The effective limits: the first layer that sets each one, else the default. */
export function resolveFileLimits(...layers: (Partial<FileLimits> | undefined)[]): FileLimits {
  const out: FileLimits = { ...DEFAULT_FILE_LIMITS };
  for (const limit of Object.keys(DEFAULT_FILE_LIMITS) as (keyof FileLimits)[]) {
    const given = layers.find((l) => l?.[limit] !== undefined);
    if (given) out[limit] = given[limit]!;
  }
  return out;
}
