import { UcopError } from '../errors/index.ts';

/**
 * The error every parse failure throws: code EXPRESSION_SYNTAX (or UNKNOWN_FUNCTION), with the offset in
 * the expression source so callers can point at the exact column.
 */
export function expressionSyntaxError(
  source: string,
  offset: number,
  message: string,
  code: 'EXPRESSION_SYNTAX' | 'UNKNOWN_FUNCTION' = 'EXPRESSION_SYNTAX',
  extra: Record<string, unknown> = {},
): UcopError {
  return new UcopError(code, `${message} (at offset ${offset} of expression ${quoteForMessage(source)})`, {
    fields: { ...extra, offset, source },
  });
}

// Long expressions would drown the message; the full source is still in `fields.source`.
function quoteForMessage(source: string): string {
  const shown = source.length > 80 ? `${source.slice(0, 77)}...` : source;
  return JSON.stringify(shown);
}
