import { formatDuration, formatSpeedup } from './duration-format.ts';
import { formatRunError, formatUsage } from './run-summary.ts';
import type { RunSummary } from './run-summary.ts';

/** Who writes the post and why, as chosen before the run. */
export interface ProviderChoice {
  provider: string;
  reason: string;
  detail: string;
}

/** The `--json` document of `ucop generate`: the run summary plus where the post is and who wrote it. */
export interface GenerateSummary extends RunSummary {
  post: string | null;
  provider: ProviderChoice | null;
  /** What the post's front matter says wrote it (`generator:`), e.g. `offline`; null when it says nothing. */
  generator: string | null;
}

/** The `generator:` of a post's YAML front matter, if it has one. */
export function postGenerator(text: string): string | null {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  const line = match?.[1]?.split(/\r?\n/).find((l) => l.startsWith('generator:'));
  const value = line?.slice('generator:'.length).trim().replace(/^["']|["']$/g, '');
  return value ? value : null;
}

/**
 * The end of `ucop generate`: where the result is, the wall time, the speedup over the sequential engine
 * (from the run record's metrics), and the provider usage, saying plainly when the post was written offline.
 */
export function formatGenerateReport(summary: GenerateSummary, options: { quiet?: boolean } = {}): string {
  const lines: string[] = [];
  if (summary.post && summary.status === 'succeeded') lines.push(`Post written to ${summary.post}`);
  else if (summary.post) lines.push(`Post written to ${summary.post}, but the run ${summary.status}`);
  else lines.push(`No post was written: the run ${summary.status}.`);
  // Work apart from waiting, and no speedup for a run that did not succeed (see formatTimeLines).
  const speedup =
    summary.metrics.sumStepMs <= 0
      ? 'no step ran in this run'
      : summary.status !== 'succeeded'
        ? `${formatDuration(summary.metrics.sumStepMs)} of work; no speedup: the run ${summary.status.replace('_', ' ')}`
        : `speedup ${formatSpeedup(summary.metrics.speedup)} against running the same work one step after another (${formatDuration(summary.metrics.sumStepMs)} of work, waits excluded; ${summary.engine} engine, max_parallel ${summary.maxParallel})`;
  lines.push(`Wall time ${formatDuration(summary.wallMs)}; ${speedup}`);
  const waits = summary.metrics.waits;
  if (waits && waits.rateLimitMs + waits.backoffMs >= 1) {
    lines.push(`Waiting, not work (summed over steps): ${formatDuration(waits.rateLimitMs)} on rate limits, ${formatDuration(waits.backoffMs)} in retry backoff.`);
  }
  if (summary.steps.resumed > 0 || summary.steps.resumedItems > 0) {
    const items = summary.steps.resumedItems > 0 ? ` and ${summary.steps.resumedItems} of ${summary.steps.items} fan-out items` : '';
    lines.push(`Resumed ${summary.steps.resumed} of ${summary.steps.total} steps${items} from the previous run.`);
  }
  if (summary.provider) lines.push(`Provider: ${summary.provider.provider} (${summary.provider.detail})`);
  // -q: the facts stay (who answered), the notices and advice go.
  lines.push(formatUsage(summary.usage, summary.fallbacks, { notices: options.quiet !== true }).trimEnd());
  // A resumed post made no calls in this run: its front matter still tells who wrote it.
  if (summary.generator === 'offline' && !summary.usage?.offline) {
    lines.push('The post was written OFFLINE (its front matter says generator: offline), by the extractive writer, without a model.');
  }
  if (summary.errors.length > 0) {
    lines.push('Errors:');
    for (const error of summary.errors) lines.push(`  ${formatRunError(error)}`);
  }
  lines.push(summary.record === null ? 'Run record: not written (see the errors above)' : `Run record: ${summary.record}`);
  return `${lines.join('\n')}\n`;
}
