import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { AgentDefinition } from '@ucop/core';
import { UcopError } from '@ucop/core';
import { parseMarkdown } from '../ingest/parse-markdown.ts';
import { readTextFile } from '../ingest/read-text-file.ts';

export type LinksCheckInput = {
  /** The markdown file to check (the assembled post). */
  path: string;
  /** The article the post came from: relative links may also resolve from its directory. @default '' */
  source?: string;
  /** Check `#anchor` links against the file's own headings. @default true */
  check_anchors?: boolean;
  /** Fail the step when a link is broken. @default false */
  fail_on_broken?: boolean;
  /** State key that receives one flag per broken link ('' writes none). @default '' */
  flags_key?: string;
};

export type BrokenLink = { href: string; text: string; line: number; reason: string };

export type LinksCheckOutput = {
  ok: boolean;
  /** Relative links and anchors checked. */
  checked: number;
  broken: BrokenLink[];
  /** Links with a scheme (https:, mailto:), listed but never fetched. */
  external: string[];
  /** Site-absolute links (`/docs/x`): no file system root to check them against. */
  unchecked: string[];
};

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function filePart(href: string): string | undefined {
  const cut = href.search(/[?#]/);
  const path = cut === -1 ? href : href.slice(0, cut);
  try {
    return decodeURI(path);
  } catch {
    return undefined;
  }
}

/**
 * `links.check`: checks that the relative links of a markdown file resolve to files (from the file's own
 * directory or the source article's), and that `#anchor` links name one of its headings. Absolute http(s)
 * links are listed, not fetched: the check never uses the network.
 */
export const linksCheckAgent: AgentDefinition<LinksCheckInput, LinksCheckOutput> = {
  name: 'links.check',
  version: '1',
  description: "Checks a markdown file's relative links resolve (from its directory or the article's) and anchors exist; lists external links without fetching them.",
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', minLength: 1, description: 'the markdown file to check (the assembled post)' },
      source: { type: 'string', default: '', description: 'the article the post came from: relative links may also resolve from its directory' },
      check_anchors: { type: 'boolean', default: true, description: "check #anchor links against the file's own headings" },
      fail_on_broken: { type: 'boolean', default: false, description: 'fail the step when a link is broken' },
      flags_key: { type: 'string', pattern: '^([a-z][a-z0-9_]*)?$', default: '', description: "state key that receives one flag per broken link; '' writes none" },
    },
  },
  outputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['ok', 'checked', 'broken', 'external', 'unchecked'],
    properties: {
      ok: { type: 'boolean' },
      checked: { type: 'integer', minimum: 0 },
      broken: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['href', 'text', 'line', 'reason'],
          properties: { href: { type: 'string' }, text: { type: 'string' }, line: { type: 'integer', minimum: 1 }, reason: { type: 'string' } },
        },
      },
      external: { type: 'array', items: { type: 'string' } },
      unchecked: { type: 'array', items: { type: 'string' } },
    },
  },
  estimateMs: 20,
  async run(ctx, input) {
    const file = resolve(input.path);
    const doc = parseMarkdown(await readTextFile(file, ctx.signal, 'the file to link-check'), input.path);
    const bases = [dirname(file), ...(input.source ? [dirname(resolve(input.source))] : [])];
    const anchors = new Set(doc.headings.map((h) => h.slug));
    const out: LinksCheckOutput = { ok: true, checked: 0, broken: [], external: [], unchecked: [] };
    for (const link of doc.links) {
      ctx.signal.throwIfAborted();
      if (link.kind === 'external') {
        if (!out.external.includes(link.href)) out.external.push(link.href);
        continue;
      }
      if (link.kind === 'anchor') {
        if (input.check_anchors === false) continue;
        out.checked++;
        const anchor = safeDecode(link.href.slice(1)).toLowerCase();
        if (!anchors.has(anchor)) out.broken.push({ href: link.href, text: link.text, line: link.line, reason: 'no heading has this anchor' });
        continue;
      }
      if (link.href.startsWith('/')) {
        out.unchecked.push(link.href);
        continue;
      }
      const path = filePart(link.href);
      if (path === undefined) {
        out.checked++;
        out.broken.push({ href: link.href, text: link.text, line: link.line, reason: 'the target is not a valid URI' });
        continue;
      }
      if (path === '') continue;
      out.checked++;
      let found = false;
      for (const base of bases) if (!found && (await exists(resolve(base, path)))) found = true;
      if (!found) out.broken.push({ href: link.href, text: link.text, line: link.line, reason: `no file at ${path} (looked in ${bases.join(', ')})` });
    }
    out.ok = out.broken.length === 0;
    if (input.flags_key && out.broken.length > 0) {
      ctx.state.write(input.flags_key, out.broken.map((b) => ({ kind: 'broken_link', step: ctx.run.stepId, href: b.href, line: b.line, message: b.reason })));
    }
    if (input.fail_on_broken && out.broken.length > 0) {
      throw new UcopError('AGENT_ERROR', `${out.broken.length} broken link(s) in ${input.path}: ${out.broken.map((b) => `line ${b.line}: ${b.href}`).join(', ')}; fix or remove them`, {
        fields: { broken: out.broken },
      });
    }
    return out;
  },
};
