import type { AgentDefinition } from '@ucop/core';
import { bookAssembleAgent } from './book-assemble.ts';
import { bookContinuityAgent } from './book-continuity.ts';
import { bookDraftAgent } from './book-draft.ts';
import { bookPlanAgent } from './book-plan.ts';

/** The book-chapter generator's agents (workflows/book_chapters.yaml). */
export function bookAgents(): AgentDefinition<never, unknown>[] {
  return [bookPlanAgent, bookContinuityAgent, bookDraftAgent, bookAssembleAgent] as AgentDefinition<never, unknown>[];
}
