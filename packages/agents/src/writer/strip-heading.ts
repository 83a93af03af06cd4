/**
 * Removes a leading markdown heading (`# ...` to `###### ...`, or a setext heading) from a model's answer:
 * the post's assembler writes headings itself, and models (the offline writer included) often repeat them.
 */
export function stripLeadingHeading(text: string): string {
  const trimmed = text.replace(/^\s+/, '');
  const atx = /^#{1,6}[ \t]+[^\n]*(?:\n|$)/.exec(trimmed);
  if (atx) return trimmed.slice(atx[0].length).trim();
  const setext = /^[^\n]+\n(?:=+|-+)[ \t]*(?:\n|$)/.exec(trimmed);
  if (setext) return trimmed.slice(setext[0].length).trim();
  return trimmed.trim();
}
