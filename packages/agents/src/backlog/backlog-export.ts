import type { AgentDefinition } from '@ucop/core';
import type { BacklogItem, BacklogLevel } from './backlog-item.ts';
import { azureCsv, jiraCsv, treeOrder } from './backlog-csv.ts';
import { backlogMarkdown } from './backlog-markdown.ts';

export type BacklogExportInput = {
  product: string;
  summary?: string;
  /**
   * The items of every level, in any order and grouping: items, lists of them, and `backlog.decompose`
   * outputs (`{ items }`) are all flattened.
   */
  items: unknown[];
};

export type BacklogExportOutput = { json: string; markdown: string; jira_csv: string; azure_csv: string; counts: Record<BacklogLevel, number>; total: number; offline: boolean };

function isItem(x: unknown): x is BacklogItem {
  return typeof x === 'object' && x !== null && typeof (x as BacklogItem).id === 'string' && typeof (x as BacklogItem).type === 'string';
}

/** Items out of any nesting of lists and `{ items }` objects, in order. */
export function collectItems(x: unknown): BacklogItem[] {
  if (Array.isArray(x)) return x.flatMap(collectItems);
  if (isItem(x)) return [x];
  if (typeof x === 'object' && x !== null && Array.isArray((x as { items?: unknown }).items)) return collectItems((x as { items: unknown[] }).items);
  return [];
}

/** `backlog.export`: the backlog as JSON, markdown, and CSV files for Jira's and Azure DevOps' importers. */
export const backlogExportAgent: AgentDefinition<BacklogExportInput, BacklogExportOutput> = {
  name: 'backlog.export',
  version: '1',
  description: 'Writes the backlog as backlog.json, backlog.md, jira.csv (Jira CSV import) and azure-devops.csv (Azure DevOps hierarchical import).',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['product', 'items'],
    properties: {
      product: { type: 'string', description: "the product's name (the brief's title)" },
      summary: { type: 'string', default: '', description: "the brief's introduction, kept in backlog.json" },
      items: { type: 'array', description: 'items, lists of items and backlog.decompose outputs ({ items }), flattened' },
    },
  },
  outputSchema: {
    type: 'object',
    required: ['json', 'markdown', 'jira_csv', 'azure_csv', 'counts', 'total', 'offline'],
    properties: {
      json: { type: 'string' }, markdown: { type: 'string' }, jira_csv: { type: 'string' }, azure_csv: { type: 'string' },
      counts: { type: 'object', additionalProperties: { type: 'integer' } }, total: { type: 'integer' }, offline: { type: 'boolean' },
    },
  },
  estimateMs: 30,
  async run(ctx, input) {
    const seen = new Set<string>();
    const items = treeOrder(collectItems(input.items).filter((i) => !seen.has(i.id) && seen.add(i.id)));
    const counts: Record<BacklogLevel, number> = { epic: 0, feature: 0, story: 0, task: 0, test: 0 };
    for (const i of items) counts[i.type]++;
    const offline = items.some((i) => i.offline);
    const plain = items.map(({ body: _body, ...rest }) => rest);
    const json = await ctx.artifacts.write('backlog.json', `${JSON.stringify({ product: input.product, summary: input.summary ?? '', offline, counts, items: plain }, null, 2)}\n`, ctx.signal);
    const markdown = await ctx.artifacts.write('backlog.md', backlogMarkdown(input.product, items, offline), ctx.signal);
    const jira = await ctx.artifacts.write('jira.csv', jiraCsv(items), ctx.signal);
    const azure = await ctx.artifacts.write('azure-devops.csv', azureCsv(items), ctx.signal);
    return { json, markdown, jira_csv: jira, azure_csv: azure, counts, total: items.length, offline };
  },
};
