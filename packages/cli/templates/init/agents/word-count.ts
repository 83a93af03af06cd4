// An agent of your own, written by `ucop init`. config/main.yaml registers it (agents.plugins), and
// workflows/hello.yaml uses it by name. Node runs this TypeScript file as it is (no build step); a .js or
// .mjs file works the same way. `npx ucop agents local.word_count` shows its contract.
import { defineAgent } from '@ucop/core';

type Input = { title: string; text: string };
type Output = { title: string; words: number };

export default defineAgent<Input, Output>({
  name: 'local.word_count',
  version: '1', // bump it when the output for the same input changes: resume then runs it again
  description: 'Counts the words of one section.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['title', 'text'],
    properties: {
      title: { type: 'string', description: 'the section title' },
      text: { type: 'string', description: 'the section prose' },
    },
  },
  outputSchema: {
    type: 'object',
    required: ['title', 'words'],
    properties: { title: { type: 'string' }, words: { type: 'integer', minimum: 0 } },
  },
  estimateMs: 1,
  async run(ctx, input) {
    // Everything that waits should take ctx.signal, so timeouts and Ctrl-C stop the agent.
    ctx.signal.throwIfAborted();
    const words = input.text.split(/\s+/).filter((word) => word.length > 0).length;
    ctx.logger.info('counted', { title: input.title, words });
    return { title: input.title, words };
  },
});
