import { basename } from 'node:path';
import { UcopError, type AgentDefinition } from '@ucop/core';
import { readTextFile } from '../ingest/read-text-file.ts';
import { BACKLOG_ITEM_SCHEMA, type BacklogItem } from './backlog-item.ts';
import { epicsFromBrief } from './decompose.ts';

export type BacklogEpicsOutput = { product: string; summary: string; epics: BacklogItem[] };

/** `backlog.epics`: the product brief's epics, one per `##` section. */
export const backlogEpicsAgent: AgentDefinition<{ path: string }, BacklogEpicsOutput> = {
  name: 'backlog.epics',
  version: '1',
  description: 'Reads a product brief (markdown) into epics: one per "## " section, with the section text for the next level.',
  inputSchema: { type: 'object', additionalProperties: false, required: ['path'], properties: { path: { type: 'string', minLength: 1, description: 'the product brief (markdown)' } } },
  outputSchema: {
    type: 'object',
    required: ['product', 'summary', 'epics'],
    properties: { product: { type: 'string' }, summary: { type: 'string' }, epics: { type: 'array', items: BACKLOG_ITEM_SCHEMA } },
  },
  estimateMs: 20,
  async run(ctx, input) {
    const out = epicsFromBrief(await readTextFile(input.path, ctx.signal, 'the product brief'), basename(input.path).replace(/\.md$/i, ''));
    if (out.epics.every((e) => e.body.trim() === '')) {
      throw new UcopError('AGENT_ERROR', `${input.path} has nothing to decompose: write "## " sections (epics) with "### " features and list items or "must/should/can" sentences`, { retryable: false });
    }
    return out;
  },
};
