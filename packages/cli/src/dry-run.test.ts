import { describe, it, expect } from 'vitest';
import { PromptCapture, formatPrompts } from './dry-run.ts';

describe('PromptCapture', () => {
  it('records each prompt with the step that was running and answers offline', async () => {
    const capture = new PromptCapture();
    const signal = new AbortController().signal;
    capture.onEvent({ type: 'step.started', stepId: 'outline', attempt: 1, at: 0, queueWaitMs: 0 });
    const answer = await capture.client.generate({ prompt: 'Plan the post', purpose: 'outline', context: [{ id: 'a', text: 'Retries help.' }] }, signal);
    capture.onEvent({ type: 'step.started', stepId: 'section', itemIndex: 2, attempt: 1, at: 5, queueWaitMs: 0 });
    await capture.client.generate({ prompt: 'Write the section', system: 'Be brief', provider: 'openai' }, signal);
    expect(answer).toMatchObject({ provider: 'offline', offline: true, usage: { costUsd: 0 } });
    expect(capture.prompts).toEqual([
      { step: 'outline', purpose: 'outline', prompt: 'Plan the post' },
      { step: 'section', itemIndex: 2, system: 'Be brief', prompt: 'Write the section', provider: 'openai' },
    ]);
    const text = formatPrompts(capture.prompts);
    expect(text).toContain('----- prompt 1 of 2: outline (outline) -----\nPlan the post');
    expect(text).toContain('----- prompt 2 of 2: section[2] -----\n[system]\nBe brief\n[prompt]\nWrite the section');
  });

  it('says so when the workflow has no prompts', () => {
    expect(formatPrompts([])).toContain('there are no prompts');
  });
});
