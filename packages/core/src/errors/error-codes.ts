/**
 * Every error ucop raises carries one of these stable codes. Tools and tests match on the code, never on the
 * message text. Add a code here (with its exit code) before raising it anywhere.
 */
export const ERROR_CODES = {
  // Loading a YAML file
  YAML_SYNTAX: 'invalid',
  YAML_TOO_LARGE: 'invalid',
  YAML_TOO_DEEP: 'invalid',
  YAML_TOO_MANY_ALIASES: 'invalid',
  YAML_VERSION_REFUSED: 'invalid',
  YAML_DUPLICATE_KEY: 'invalid',
  YAML_FORBIDDEN_KEY: 'invalid',
  // Schema and semantic checks
  SCHEMA_INVALID: 'invalid',
  UNKNOWN_KEY: 'invalid',
  UNKNOWN_NEEDS: 'invalid',
  UNKNOWN_STEP_REF: 'invalid',
  UNKNOWN_INPUT_REF: 'invalid',
  UNKNOWN_STATE_REF: 'invalid',
  UNKNOWN_ENV_REF: 'invalid',
  UNKNOWN_AGENT: 'invalid',
  AGENT_INPUT_INVALID: 'invalid',
  DAG_CYCLE: 'invalid',
  FOR_EACH_NOT_LIST: 'invalid',
  ITEM_OUTSIDE_FOR_EACH: 'invalid',
  BAD_DURATION: 'invalid',
  STATE_WRITE_RACE: 'invalid',
  STATE_KEY_NOT_WRITABLE: 'invalid',
  EXPRESSION_SYNTAX: 'invalid',
  UNKNOWN_FUNCTION: 'invalid',
  UNKNOWN_CONCURRENCY_GROUP: 'invalid',
  STEP_REF_INTO_GROUP: 'invalid',
  STEP_KIND_CONFLICT: 'invalid',
  USES_CYCLE: 'invalid',
  LOOP_UNBOUNDED: 'invalid',
  // Configuration and usage
  CONFIG_INVALID: 'invalid',
  CONFIG_UNKNOWN_KEY: 'invalid',
  INPUT_MISSING: 'usage',
  INPUT_INVALID: 'usage',
  USAGE: 'usage',
  FILE_NOT_FOUND: 'general',
  JSON_INVALID: 'invalid',
  // Reading a user's file (see files/read-text-file.ts)
  FILE_NOT_REGULAR: 'usage',
  FILE_TOO_LARGE: 'invalid',
  FILE_ENCODING_INVALID: 'invalid',
  FILE_UNREADABLE: 'general',
  // Execution
  STEP_TIMEOUT: 'execution',
  RUN_TIMEOUT: 'timeout',
  RUN_CANCELLED: 'execution',
  STEP_FAILED: 'execution',
  STEP_CANCELLED: 'execution',
  AGENT_ERROR: 'execution',
  AGENT_OUTPUT_INVALID: 'execution',
  EXPRESSION_EVAL: 'execution',
  FOR_EACH_NOT_LIST_AT_RUNTIME: 'execution',
  LOOP_MAX_REACHED: 'execution',
  FOLLOW_UP_LIMIT: 'execution',
  FOLLOW_UP_TARGET_UNKNOWN: 'execution',
  STATE_WRITE_REJECTED: 'execution',
  STATE_LIMIT_EXCEEDED: 'execution',
  GUARD_MAX_STEPS: 'execution',
  GUARD_NO_PROGRESS: 'execution',
  ARTIFACT_PATH_ESCAPE: 'execution',
  AGENT_UNCAUGHT: 'execution',
  AGENT_OUTPUT_UNSERIALISABLE: 'execution',
  // The run store
  RUN_LOCKED: 'usage',
  JOURNAL_NOT_FOUND: 'usage',
  UNIT_NOT_FOUND: 'usage',
  // Providers
  PROVIDER_RATE_LIMITED: 'execution',
  PROVIDER_CIRCUIT_OPEN: 'execution',
  PROVIDER_HTTP: 'execution',
  PROVIDER_BAD_RESPONSE: 'execution',
  PROVIDER_UNAVAILABLE: 'execution',
  PROVIDER_QUOTA_EXHAUSTED: 'execution',
  // The daemon (ucop serve) and its clients
  SERVER_UNAUTHORIZED: 'usage',
  SERVER_FORBIDDEN: 'usage',
  SERVER_UNREACHABLE: 'general',
  SERVER_ERROR: 'general',
  SERVER_RATE_LIMITED: 'general',
  SERVER_BODY_TOO_LARGE: 'usage',
  RUN_NOT_FOUND: 'usage',
  RUN_STATE_CONFLICT: 'usage',
  // Distributed execution (Redis, BullMQ workers)
  REDIS_UNAVAILABLE: 'general',
  REDIS_CONFIG_REFUSED: 'invalid',
  WORKER_LOST: 'execution',
  WORKER_RESULT_TOO_LARGE: 'execution',
  /** A limit is full and waiting was refused (`--no-wait`, `limits_store.wait: false`). */
  RATE_LIMIT_NO_WAIT: 'execution',
  /** Structured output: the answers broke the output schema every time they were asked for. */
  LLM_OUTPUT_INVALID: 'execution',
  /** A batched call's answer could not be split back into one answer per request. */
  LLM_BATCH_UNSPLITTABLE: 'execution',
  // Anything else
  INTERNAL: 'general',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export type ErrorCategory = (typeof ERROR_CODES)[ErrorCode];

/** Documented process exit codes (see README "Exit codes"). */
export const EXIT_CODES = {
  success: 0,
  general: 1,
  usage: 2,
  invalid: 3,
  execution: 4,
  timeout: 5,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  return EXIT_CODES[ERROR_CODES[code]];
}
