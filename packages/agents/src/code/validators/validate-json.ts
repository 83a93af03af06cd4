import { lineColAt, type CodeError } from './code-error.ts';
import { locateJsonError } from './locate-json-error.ts';

/**
 * Validates a JSON block with JSON.parse, the same parser that will read it. Its message is kept as is;
 * the position comes from the grammar scan in locate-json-error.ts, because not every JSON.parse message
 * carries one and positions are never read out of message text.
 */
export function validateJson(code: string): CodeError[] {
  try {
    JSON.parse(code);
    return [];
  } catch (error) {
    // V8 quotes the source in some messages; keep the message on one line.
    const message = (error instanceof Error ? error.message : String(error)).replace(/\r?\n/g, '\\n');
    const offset = locateJsonError(code);
    const { line, col } = lineColAt(code, offset === -1 ? code.length : offset);
    return [{ line, col, message }];
  }
}
