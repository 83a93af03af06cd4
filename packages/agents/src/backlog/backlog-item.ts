/** The levels of a backlog, from the brief down. */
export type BacklogLevel = 'epic' | 'feature' | 'story' | 'task' | 'test';

/** One item of the backlog, at any level. */
export type BacklogItem = {
  /** Hierarchical id: `E1`, `E1.F2`, `E1.F2.S3`, `E1.F2.S3.T1`, `E1.F2.S3.Q1`. */
  id: string;
  type: BacklogLevel;
  title: string;
  description: string;
  /** The parent's id; '' for an epic. */
  parent: string;
  acceptance_criteria: string[];
  /** Test cases: their steps; others: []. */
  steps: string[];
  /** Source text the level below decomposes (a section of the brief); '' at the leaves. */
  body: string;
  /** Line of the brief it came from. */
  line: number;
  /** True when decomposed by the document's structure, without a model. */
  offline: boolean;
};

export const BACKLOG_ITEM_SCHEMA = {
  type: 'object',
  required: ['id', 'type', 'title', 'description', 'parent', 'acceptance_criteria', 'steps', 'body', 'line', 'offline'],
  properties: {
    id: { type: 'string' },
    type: { enum: ['epic', 'feature', 'story', 'task', 'test'] },
    title: { type: 'string' },
    description: { type: 'string' },
    parent: { type: 'string' },
    acceptance_criteria: { type: 'array', items: { type: 'string' } },
    steps: { type: 'array', items: { type: 'string' } },
    body: { type: 'string' },
    line: { type: 'integer' },
    offline: { type: 'boolean' },
  },
} as const;

/** The level below each level. */
export const CHILD_LEVEL: Record<BacklogLevel, BacklogLevel | undefined> = { epic: 'feature', feature: 'story', story: 'task', task: undefined, test: undefined };
