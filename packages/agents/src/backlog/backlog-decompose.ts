import type { AgentDefinition } from '@ucop/core';
import { BACKLOG_ITEM_SCHEMA, type BacklogItem } from './backlog-item.ts';
import { featuresOf, storiesOf, tasksOf, testsOf } from './decompose.ts';

export type BacklogDecomposeInput = {
  /** The items to decompose (epics for `feature`, features for `story`, stories for `task` and `test`). */
  parents: BacklogItem[];
  level: 'feature' | 'story' | 'task' | 'test';
};

const DECOMPOSE = { feature: featuresOf, story: storiesOf, task: tasksOf, test: testsOf } as const;

/**
 * `backlog.decompose`: one level of the backlog from the level above, by the brief's structure: features
 * from `###` sections, stories from list items and requirement sentences (with acceptance criteria), tasks
 * and QA test cases from stories. Deterministic; every item is marked offline.
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
    },
  },
  outputSchema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: BACKLOG_ITEM_SCHEMA } } },
  estimateMs: 5,
  async run(ctx, input) {
    ctx.signal.throwIfAborted();
    const expected = { feature: 'epic', story: 'feature', task: 'story', test: 'story' }[input.level];
    const parents = input.parents.filter((p) => p.type === expected);
    return { items: parents.flatMap((p) => DECOMPOSE[input.level](p)) };
  },
};
