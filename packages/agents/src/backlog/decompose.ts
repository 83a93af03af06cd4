import { plainText } from '../text/plain-text.ts';
import type { BacklogItem } from './backlog-item.ts';
import { requirementsOf, sectionsAt, splitRequirement } from './brief-structure.ts';

const OFFLINE_NOTE = '(offline: derived from the wording of the brief)';

function item(fields: Pick<BacklogItem, 'id' | 'type' | 'title' | 'parent' | 'line'> & Partial<BacklogItem>): BacklogItem {
  return { description: '', acceptance_criteria: [], steps: [], body: '', offline: true, ...fields };
}

/** The first paragraph of a section that is neither a list nor a heading: its description. */
function leadParagraph(body: string): string {
  const para = body.split(/\n\s*\n/).find((p) => p.trim() !== '' && !/^\s*([-*+]|\d+[.)]|#{1,6})\s/.test(p));
  return para === undefined ? '' : plainText(para);
}

/** The product and its epics: the `#` title, then one epic per `##` section (the whole brief when it has none). */
export function epicsFromBrief(markdown: string, fallbackTitle: string): { product: string; summary: string; epics: BacklogItem[] } {
  const text = markdown.replace(/\r\n?/g, '\n');
  const top = sectionsAt(text, 1);
  const product = top.sections[0]?.title ?? fallbackTitle;
  const body = top.sections[0]?.body ?? text;
  const offset = top.sections[0] === undefined ? 1 : top.sections[0].line + 1;
  const { before, sections } = sectionsAt(body, 2, offset);
  const epics = (sections.length > 0 ? sections : [{ title: product, line: offset, body }]).map((s, i) =>
    item({ id: `E${i + 1}`, type: 'epic', title: s.title, parent: '', line: s.line, description: leadParagraph(s.body), body: s.body }),
  );
  return { product, summary: leadParagraph(before), epics };
}

/** The features of an epic: one per `###` section, or the epic itself as its only feature. */
export function featuresOf(epic: BacklogItem): BacklogItem[] {
  const { sections } = sectionsAt(epic.body, 3, epic.line + 1);
  const list = sections.length > 0 ? sections : [{ title: epic.title, line: epic.line, body: epic.body }];
  return list.map((s, i) => item({ id: `${epic.id}.F${i + 1}`, type: 'feature', title: s.title, parent: epic.id, line: s.line, description: leadParagraph(s.body), body: s.body }));
}

const NUMBER_PHRASE = /\b(?:up to|at most|at least|within|no more than|more than|less than|for|of)?\s*\d+(?:\s*(?:to|-)\s*\d+)?\s+[a-z]+/gi;

/** Deterministic acceptance criteria of a requirement: the stated outcome, the refusal path, and each stated limit. */
export function acceptanceCriteria(requirement: string, feature: string): string[] {
  const { actor, action } = splitRequirement(requirement);
  const criteria = [
    `Given ${feature}, when ${actor} ${action}, then the outcome is as the brief states: "${requirement.replace(/[.!]$/, '')}" ${OFFLINE_NOTE}`,
    `Given a request that breaks this requirement, when it is made, then it is refused with a message that says why, and nothing is changed ${OFFLINE_NOTE}`,
  ];
  for (const m of requirement.matchAll(NUMBER_PHRASE)) {
    const phrase = m[0].trim();
    criteria.push(`Given the limit "${phrase}", when a request is exactly at it, then it is accepted; when a request is beyond it, then it is refused ${OFFLINE_NOTE}`);
  }
  return criteria;
}

/** The stories of a feature: one per requirement (list item or modal sentence), each with its acceptance criteria. */
export function storiesOf(feature: BacklogItem): BacklogItem[] {
  return requirementsOf(feature.body, feature.line + 1).map((r, i) => {
    const { actor } = splitRequirement(r.text);
    return item({
      id: `${feature.id}.S${i + 1}`,
      type: 'story',
      title: r.text.replace(/[.!]$/, ''),
      parent: feature.id,
      line: r.line,
      description: `${r.text} Who: ${actor}. Feature: ${feature.title}. From line ${r.line} of the brief. ${OFFLINE_NOTE}`,
      acceptance_criteria: acceptanceCriteria(r.text, `the ${feature.title.toLowerCase()} feature`),
    });
  });
}

/** The tasks of a story: build it, test its acceptance criteria, document it. */
export function tasksOf(story: BacklogItem): BacklogItem[] {
  const { action } = splitRequirement(story.title);
  const tasks = [
    ['Implement', `Build: ${action}.`],
    ['Automate the acceptance tests', `One automated test per acceptance criterion of ${story.id} (${story.acceptance_criteria.length}).`],
    ['Document', `Describe the behaviour for users and support: ${story.title}.`],
  ] as const;
  return tasks.map(([title, description], i) => item({ id: `${story.id}.T${i + 1}`, type: 'task', title: `${title}: ${story.title}`, parent: story.id, line: story.line, description: `${description} ${OFFLINE_NOTE}` }));
}

/** One QA test case per acceptance criterion of a story: Given / When / Then as steps. */
export function testsOf(story: BacklogItem): BacklogItem[] {
  return story.acceptance_criteria.map((ac, i) => {
    const clean = ac.replace(` ${OFFLINE_NOTE}`, '');
    const steps = clean.split(/,\s*(?=when |then )|;\s*(?=when )/i).map((s) => s.trim().replace(/^./, (c) => c.toUpperCase()));
    return item({ id: `${story.id}.Q${i + 1}`, type: 'test', title: `Test ${story.id} criterion ${i + 1}: ${story.title}`, parent: story.id, line: story.line, description: `${clean} ${OFFLINE_NOTE}`, steps });
  });
}
