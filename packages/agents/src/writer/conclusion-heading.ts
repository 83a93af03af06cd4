const CONCLUSION = /^(conclusions?|summary|in summary|wrap(ping)?[ -]up|next steps|final thoughts|closing thoughts|takeaways|key takeaways|recap)$/i;

/**
 * Whether a heading names a closing section. Such sections feed the conclusion writer rather than the
 * outline, so the post does not end twice.
 */
export function isConclusionHeading(title: string): boolean {
  return CONCLUSION.test(title.trim().replace(/[.:!]+$/, ''));
}
