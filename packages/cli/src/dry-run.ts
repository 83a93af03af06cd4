import { createOfflineAdapter } from '@ucop/agents';
import type { LlmClient, LlmRequest, LlmResponse, RunEvent } from '@ucop/core';

/** One prompt a step would send to a text model. */
export interface CapturedPrompt {
  step: string;
  itemIndex?: number;
  purpose?: string;
  system?: string;
  prompt: string;
  /** The provider the step asked for, if any. */
  provider?: string;
}

/**
 * The dry run's model client: it records every rendered prompt with the step that sent it and answers with
 * the offline writer (local and deterministic, no model), so that prompts built from earlier answers (one
 * per outline section) are rendered too. The run must use the sequential engine: one step runs at a time,
 * so the step named by the last `step.started` event is the one calling.
 */
export class PromptCapture {
  readonly prompts: CapturedPrompt[] = [];
  readonly #offline = createOfflineAdapter();
  #current: { stepId: string; itemIndex?: number } | undefined;

  /** Follows the run's events to know which step is calling. */
  readonly onEvent = (event: RunEvent): void => {
    if (event.type === 'step.started') this.#current = { stepId: event.stepId, ...(event.itemIndex === undefined ? {} : { itemIndex: event.itemIndex }) };
  };

  readonly client: LlmClient = {
    generate: async (request: LlmRequest, signal: AbortSignal): Promise<LlmResponse> => {
      this.prompts.push({
        step: this.#current?.stepId ?? '(unknown)',
        ...(this.#current?.itemIndex === undefined ? {} : { itemIndex: this.#current.itemIndex }),
        ...(request.purpose === undefined ? {} : { purpose: request.purpose }),
        ...(request.system === undefined ? {} : { system: request.system }),
        prompt: request.prompt,
        ...(request.provider === undefined ? {} : { provider: request.provider }),
      });
      const result = await this.#offline.call(request, signal);
      return { text: result.text, provider: this.#offline.name, model: result.model, usage: { ...result.usage, costUsd: 0 }, offline: true };
    },
  };
}

/** Every captured prompt under a header naming its step, for the terminal. */
export function formatPrompts(prompts: readonly CapturedPrompt[]): string {
  if (prompts.length === 0) return 'No step of this workflow calls a text model: there are no prompts.\n';
  const blocks = prompts.map((p, index) => {
    const unit = p.itemIndex === undefined ? p.step : `${p.step}[${p.itemIndex}]`;
    const purpose = p.purpose ? ` (${p.purpose})` : '';
    const system = p.system ? `[system]\n${p.system}\n[prompt]\n` : '';
    return `----- prompt ${index + 1} of ${prompts.length}: ${unit}${purpose} -----\n${system}${p.prompt.trimEnd()}\n`;
  });
  return blocks.join('\n');
}
