/**
 * Escaping for the report's HTML. Everything from run.json (step ids, error messages, inputs) is data
 * written by workflows and agents, so it is escaped on the way in; the five-character HTML escape and the
 * JSON-in-script escape are written here because they are a few lines each and a templating dependency
 * would add more surface than it removes.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside an HTML element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON safe inside `<script type="application/json">`: `<` becomes `\u003c` (so no `</script>` or `<!--`
 * can end or change the element), and the two line separators JavaScript once treated as newlines are
 * escaped too. `JSON.parse` of the element's text gives the value back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
