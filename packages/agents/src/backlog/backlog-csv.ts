import type { BacklogItem, BacklogLevel } from './backlog-item.ts';

/** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

const JIRA_TYPES: Record<BacklogLevel, string> = { epic: 'Epic', feature: 'Feature', story: 'Story', task: 'Sub-task', test: 'Test' };
const AZURE_TYPES: Record<BacklogLevel, string> = { epic: 'Epic', feature: 'Feature', story: 'User Story', task: 'Task', test: 'Test Case' };
const AZURE_LEVEL: Record<BacklogLevel, number> = { epic: 1, feature: 2, story: 3, task: 4, test: 4 };

/**
 * Jira's CSV import: `Issue ID` and `Parent ID` link the hierarchy within the file (the importer maps them
 * to the issue id and parent fields); the issue types Feature and Test may need a value mapping in the
 * importer when the project does not have them.
 */
export function jiraCsv(items: readonly BacklogItem[]): string {
  const rows = items.map((i) => [i.id, i.parent, JIRA_TYPES[i.type], i.title, [i.description, ...i.steps.map((s, n) => `${n + 1}. ${s}`)].filter((s) => s !== '').join('\n'), i.acceptance_criteria.join('\n'), i.offline ? 'ucop-offline' : 'ucop']);
  return csv([['Issue ID', 'Parent ID', 'Issue Type', 'Summary', 'Description', 'Acceptance Criteria', 'Labels'], ...rows]);
}

/**
 * Azure DevOps' hierarchical CSV import (Agile process): an empty `ID` creates the item, the `Title N`
 * column it is written in gives its level, and each item's parent is the nearest row above it one level up
 * (so the rows are written in tree order).
 */
export function azureCsv(items: readonly BacklogItem[]): string {
  const rows = treeOrder(items).map((i) => {
    const titles = ['', '', '', ''];
    titles[AZURE_LEVEL[i.type] - 1] = i.title;
    const steps = i.steps.map((s, n) => `${n + 1}. ${s}`).join('\n');
    return ['', AZURE_TYPES[i.type], ...titles, [i.description, steps].filter((s) => s !== '').join('\n'), i.acceptance_criteria.join('\n'), i.offline ? 'ucop-offline' : 'ucop'];
  });
  return csv([['ID', 'Work Item Type', 'Title 1', 'Title 2', 'Title 3', 'Title 4', 'Description', 'Acceptance Criteria', 'Tags'], ...rows]);
}

/** Items depth first: each parent followed by its children, in id order within a parent. */
export function treeOrder(items: readonly BacklogItem[]): BacklogItem[] {
  const children = new Map<string, BacklogItem[]>();
  for (const i of items) children.set(i.parent, [...(children.get(i.parent) ?? []), i]);
  const out: BacklogItem[] = [];
  const visit = (parent: string) => {
    for (const child of children.get(parent) ?? []) {
      out.push(child);
      visit(child.id);
    }
  };
  visit('');
  return out;
}
