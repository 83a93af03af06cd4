import { basename } from 'node:path';
import type { MarkdownDocument } from './markdown-document.ts';
import type { Source, SourceKind } from '../sources/source.ts';

/**
 * One source per section of a parsed markdown file, plus one for the lead (the prose before the first
 * section) when there is any. Sections without prose (only code, say) give no source: nothing to quote.
 */
export function documentSources(doc: MarkdownDocument, kind: SourceKind): Source[] {
  const name = basename(doc.path);
  const out: Source[] = [];
  if (doc.lead.trim() !== '') {
    out.push({ id: `${kind}:${name}`, title: doc.title, text: doc.lead, source: doc.path, kind, role: kind === 'article' ? 'lead' : 'reference' });
  }
  for (const section of doc.sections) {
    if (section.text.trim() === '') continue;
    out.push({
      id: `${kind}:${name}#${section.slug}`,
      title: section.title,
      text: section.text,
      source: `${doc.path}#${section.slug}`,
      kind,
      role: kind === 'article' ? 'section' : 'reference',
    });
  }
  return out;
}
