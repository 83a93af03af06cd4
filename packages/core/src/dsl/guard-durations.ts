/**
 * Settings whose duration arms a guard, with the guard's name. The engine treats 0 as "not set" (no run
 * deadline, no attempt timeout, no watchdog), so a 0 written here would silently switch the guard off:
 * every place that reads these settings (workflow `config:` and step `timeout`, config/main.yaml, UCOP_*
 * variables, `--timeout`) refuses it instead.
 */
export const GUARD_DURATIONS: Readonly<Record<string, string>> = Object.freeze({
  timeout: 'the run deadline',
  step_timeout: 'the step timeout',
  no_progress_timeout: 'the no-progress watchdog',
});

/**
 * The reason a guard duration of 0 is refused, naming what it would switch off; `setting` is how the user
 * wrote it (`config.timeout`, `--timeout`, `UCOP_TIMEOUT`).
 */
export function zeroGuardMessage(setting: string, value: string, guard: string): string {
  return `\`${setting}\`: \`${value}\` would switch off ${guard}: give a duration above zero (a long one such as \`24h\` for practically no limit)`;
}
