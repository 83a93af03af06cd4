import { ERROR_CODES, UcopError, isUcopError } from '@ucop/core';
import type { ErrorCode } from '@ucop/core';

/** An attempt's error as it crosses from a worker to the coordinator. */
export interface WireError {
  code: string;
  message: string;
  retryable: boolean;
  fields: Record<string, unknown>;
  name?: string;
}

export function errorToWire(error: unknown): WireError {
  if (isUcopError(error)) return { code: error.code, message: error.message, retryable: error.retryable, fields: { ...error.fields } };
  if (error instanceof Error) return { code: 'AGENT_ERROR', message: error.message, retryable: false, fields: {}, name: error.name };
  return { code: 'AGENT_ERROR', message: String(error), retryable: false, fields: {} };
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/**
 * Back into an error the engine classifies as it would have locally: a UcopError keeps its code, fields and
 * retryability; a plain Error thrown by an agent comes back as a plain Error with its name and message.
 */
export function errorFromWire(wire: WireError): unknown {
  if (wire.name !== undefined) {
    const error = new Error(wire.message);
    error.name = wire.name;
    return error;
  }
  const code: ErrorCode = isErrorCode(wire.code) ? wire.code : 'AGENT_ERROR';
  return new UcopError(code, wire.message, { fields: wire.fields, retryable: wire.retryable });
}
