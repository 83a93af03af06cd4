import type { ErrorCode } from './error-codes.ts';

/** Where in a source file an error points. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export interface UcopErrorOptions {
  /** Structured details (step id, timeout, elapsed, ...), safe to print and to put in a run record. */
  fields?: Record<string, unknown>;
  /** Whether retrying the same operation may succeed. Data on the error, never inferred from the message. */
  retryable?: boolean;
  location?: SourceLocation;
  cause?: unknown;
}

// A brand on the prototype chain: `isUcopError` works even when two copies of @ucop/core are loaded.
const BRAND = Symbol.for('ucop.error');

/** The one error class of ucop: a stable code, a message that says what to change, structured fields. */
export class UcopError extends Error {
  readonly code: ErrorCode;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly retryable: boolean;
  readonly location: SourceLocation | undefined;

  constructor(code: ErrorCode, message: string, options: UcopErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UcopError';
    this.code = code;
    this.fields = options.fields ?? {};
    this.retryable = options.retryable ?? false;
    this.location = options.location;
  }

  get [BRAND](): true {
    return true;
  }

  /** A plain object for run records and JSON output. */
  toJSON(): { code: ErrorCode; message: string; retryable: boolean; fields: Record<string, unknown> } {
    return { code: this.code, message: this.message, retryable: this.retryable, fields: { ...this.fields } };
  }
}

export function isUcopError(value: unknown): value is UcopError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** Several errors gathered, for example by fail-fast or by validating a whole file. */
export class UcopAggregateError extends AggregateError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, errors: readonly unknown[], message: string) {
    super(errors, message);
    this.name = 'UcopAggregateError';
    this.code = code;
  }
}

/** Turns anything thrown into a UcopError, keeping the original as `cause`. */
export function toUcopError(value: unknown, fallback: ErrorCode = 'INTERNAL'): UcopError {
  if (isUcopError(value)) return value;
  if (value instanceof Error) {
    return new UcopError(fallback, value.message, { cause: value });
  }
  return new UcopError(fallback, String(value));
}
