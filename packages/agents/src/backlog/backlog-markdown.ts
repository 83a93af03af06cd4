import type { BacklogItem } from './backlog-item.ts';
import { treeOrder } from './backlog-csv.ts';

const LABEL = { epic: 'Epic', feature: 'Feature', story: 'Story', task: 'Task', test: 'Test case' } as const;

/** The backlog as nested markdown: epics and features as headings, stories with their criteria, tasks and tests as lists. */
export function backlogMarkdown(product: string, items: readonly BacklogItem[], offline: boolean): string {
  const lines = [`# Backlog: ${product}`, ''];
  if (offline) lines.push('> Decomposed offline by the structure of the brief (headings, lists, requirement sentences); acceptance criteria and test cases are derived from the wording, not written by a model.', '');
  for (const i of treeOrder(items)) {
    if (i.type !== 'task' && i.type !== 'test' && lines.at(-1) !== '') lines.push('');
    if (i.type === 'epic' || i.type === 'feature') {
      lines.push(`${i.type === 'epic' ? '##' : '###'} ${LABEL[i.type]} ${i.id}: ${i.title}`, '');
      if (i.description) lines.push(i.description, '');
    } else if (i.type === 'story') {
      lines.push(`#### Story ${i.id}: ${i.title}`, '', 'Acceptance criteria:', ...i.acceptance_criteria.map((a) => `- ${a}`), '');
    } else {
      lines.push(`- ${LABEL[i.type]} ${i.id}: ${i.title}`);
      for (const s of i.steps) lines.push(`  - ${s}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
