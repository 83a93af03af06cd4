import type { AgentContext, AgentDefinition } from '@ucop/core';
import { BACKLOG_ITEM_SCHEMA, type BacklogItem } from './backlog-item.ts';
import { featuresOf, storiesOf, tasksOf, testsOf } from './decompose.ts';

export type BacklogDecomposeInput = {
  /** The items to decompose (epics for `feature`, features for `story`, stories for `task` and `test`). */
  parents: BacklogItem[];
  level: 'feature' | 'story' | 'task' | 'test';
  /** Stories: ask the configured model for acceptance criteria (offline keeps the derived ones). @default true */
  refine?: boolean;
};

/** The criteria a model wrote: its list lines, without their markers. */
function listLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => /^\s*(?:[-*+]|\d+[.)])\s+(.+)$/.exec(l)?.[1]?.trim())
    .filter((l): l is string => l !== undefined && l !== '');
}

/** A story whose acceptance criteria the model rewrote, when it answered (offline, the story as it is). */
async function refineStory(ctx: AgentContext, story: BacklogItem): Promise<BacklogItem> {
  const response = await ctx.llm.generate(
    {
      system: 'You are a product owner writing acceptance criteria for a user story.',
      prompt: `Write 3 to 5 acceptance criteria, one per line starting with "- ", each as Given / When / Then, for this requirement:\n\n${story.title}\n\n${story.description}`,
      purpose: story.title,
      maxTokens: 400,
    },
    ctx.signal,
  );
  if (response.offline) return story;
  const criteria = listLines(response.text);
  return criteria.length === 0 ? story : { ...story, acceptance_criteria: criteria, offline: false };
}

const DECOMPOSE = { feature: featuresOf, story: storiesOf, task: tasksOf, test: testsOf } as const;

/**
 * `backlog.decompose`: one level of the backlog from the level above, by the brief's structure: features
 * from `###` sections, stories from list items and requirement sentences (with acceptance criteria), tasks
 * and QA test cases from stories. Deterministic and marked offline, except the acceptance criteria of
 * stories, which the configured model rewrites when there is one (those stories are not marked offline).
 */
export const backlogDecomposeAgent: AgentDefinition<BacklogDecomposeInput, { items: BacklogItem[] }> = {
  name: 'backlog.decompose',
  version: '1',
  description: 'Decomposes backlog items one level down by the brief\'s structure: epics → features → stories (with acceptance criteria) → tasks and QA test cases.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['parents', 'level'],
    properties: {
      parents: { type: 'array', items: BACKLOG_ITEM_SCHEMA, description: 'the items to decompose: epics, features or stories (others are ignored)' },
      level: { enum: ['feature', 'story', 'task', 'test'], description: 'the level to produce' },
      refine: { type: 'boolean', default: true, description: 'stories: ask the configured model for acceptance criteria; offline keeps the derived ones' },
    },
  },
  outputSchema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: BACKLOG_ITEM_SCHEMA } } },
  estimateMs: 5,
  async run(ctx, input) {
    ctx.signal.throwIfAborted();
    const expected = { feature: 'epic', story: 'feature', task: 'story', test: 'story' }[input.level];
    const parents = input.parents.filter((p) => p.type === expected);
    const items = parents.flatMap((p) => DECOMPOSE[input.level](p));
    if (input.level !== 'story' || input.refine === false) return { items };
    const refined: BacklogItem[] = [];
    for (const story of items) refined.push(await refineStory(ctx, story));
    return { items: refined };
  },
};
