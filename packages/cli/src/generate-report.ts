import { formatDuration, formatSpeedup } from './duration-format.ts';
import { formatUsage } from './run-summary.ts';
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
}

/**
 * The end of `ucop generate`: where the result is, the wall time, the speedup over the sequential engine
 * (from the run record's metrics), and the provider usage, saying plainly when the post was written offline.
 */
export function formatGenerateReport(summary: GenerateSummary): string {
  const lines: string[] = [];
  if (summary.post && summary.status === 'succeeded') lines.push(`Post written to ${summary.post}`);
  else if (summary.post) lines.push(`Post written to ${summary.post}, but the run ${summary.status}`);
  else lines.push(`No post was written: the run ${summary.status}.`);
  lines.push(
    `Wall time ${formatDuration(summary.wallMs)}; speedup over sequential ${formatSpeedup(summary.metrics.speedup)} ` +
      `(${formatDuration(summary.metrics.sumStepMs)} of step time, ${summary.engine} engine, max_parallel ${summary.maxParallel})`,
  );
  if (summary.steps.resumed > 0) lines.push(`Resumed ${summary.steps.resumed} of ${summary.steps.total} steps from the previous run.`);
  if (summary.provider) lines.push(`Provider: ${summary.provider.provider} (${summary.provider.detail})`);
  lines.push(formatUsage(summary.usage).trimEnd());
  if (summary.errors.length > 0) {
    lines.push('Errors:');
    for (const error of summary.errors) lines.push(`  ${error.code} ${error.message}`);
  }
  lines.push(`Run record: ${summary.record}`);
  return `${lines.join('\n')}\n`;
}
