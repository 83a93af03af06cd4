import { formatDuration, formatSpeedup } from '../duration-format.ts';
import { escapeHtml as e, jsonForScript } from './html-text.ts';
import type { ReportAssets } from './report-assets.ts';
import type { ReportModel } from './report-model.ts';

function figure(value: string, what: string, id?: string): string {
  return `<div class="figure"${id ? ` id="${id}"` : ''}><div class="value">${e(value)}</div><div class="what">${e(what)}</div></div>`;
}

function figuresSection(m: ReportModel): string {
  const f = m.figures;
  const speedup =
    f.speedup === null
      ? figure('-', `no speedup: the run ${m.status.replace('_', ' ')}, so its work is not the workflow's`, 'speedup')
      : figure(formatSpeedup(f.speedup), 'speedup: work ÷ wall time, against running the same work one step after another with no waiting', 'speedup');
  return `<div class="figures">
${figure(formatDuration(m.wallMs), 'wall time')}
${figure(formatDuration(f.workMs), `work, summed over ${m.executedUnits} unit${m.executedUnits === 1 ? '' : 's'} (waits excluded)`)}
${speedup}
${figure(formatDuration(f.lowerBoundMs), `lower bound: max(critical path, work ÷ ${m.maxParallel} slots)`, 'lower-bound')}
${figure(`${Math.round(f.efficiency * 100)}%`, 'efficiency: lower bound ÷ wall time')}
${figure(formatDuration(m.criticalPath.ms), `critical path: ${m.criticalPath.steps.join(' → ') || '-'}`, 'critical-path')}
${figure(formatDuration(f.waits.queueMs), 'queued for a slot (summed)')}
${figure(formatDuration(f.waits.rateLimitMs), 'waiting on rate limits (summed)')}
${figure(formatDuration(f.waits.backoffMs), 'backoff before retries (summed)')}
</div>`;
}

function usageSection(m: ReportModel): string {
  const u = m.usage;
  if (!u) return '<p>No text-model calls.</p>';
  const rows = Object.entries(u.byProvider)
    .map(([name, p]) => `<tr><td>${e(name)}</td><td class="num">${p.calls}</td><td class="num">${p.inputTokens}</td><td class="num">${p.outputTokens}</td><td class="num">$${p.costUsd.toFixed(4)}</td></tr>`)
    .join('\n');
  return `<table id="usage"><thead><tr><th>provider</th><th>calls</th><th>input tokens</th><th>output tokens</th><th>cost</th></tr></thead>
<tbody>${rows}
<tr><th>total</th><th class="num">${u.calls}</th><th class="num">${u.inputTokens}</th><th class="num">${u.outputTokens}</th><th class="num">$${u.costUsd.toFixed(4)}</th></tr></tbody></table>`;
}

function errorsSection(m: ReportModel): string {
  if (m.errors.length === 0) return '<p>None.</p>';
  const rows = m.errors.map((x) => `<tr><td>${e(x.unit ?? '(the run)')}</td><td>${e(x.code)}</td><td class="err">${e(x.message)}</td></tr>`).join('\n');
  return `<table id="errors"><thead><tr><th>step</th><th>code</th><th>message</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function withoutBarsSection(m: ReportModel): string {
  if (m.withoutBars.length === 0) return '';
  const rows = m.withoutBars.map((u) => `<tr><td>${e(u.unit)}</td><td>${e(u.resumed ? 'resumed from the earlier run' : u.status)}</td><td>${e(u.reason ?? '')}</td></tr>`).join('\n');
  return `<h2>Not run here</h2><table id="not-run"><thead><tr><th>step</th><th>status</th><th>why</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const LEGEND = `<div class="legend">
<span><i class="status-succeeded"></i>succeeded</span><span><i class="status-failed"></i>failed</span><span><i class="status-timed_out"></i>timed out</span>
<span><i class="status-cancelled"></i>cancelled</span><span><i class="status-running"></i>running</span>
<span><i class="kind-queue"></i>queued for a slot</span><span><i class="kind-rate-limit"></i>rate-limit wait</span><span><i class="kind-backoff"></i>backoff</span>
<span><i class="critical"></i>critical path</span></div>`;

/** The whole report: one HTML file with its scripts, styles and data inlined; every value from the record escaped. */
export function renderReportHtml(m: ReportModel, assets: ReportAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>ucop run ${e(m.workflow)} · ${e(m.status)}</title>
<style>${assets.libraryCss}</style>
<style>${assets.pageCss}</style>
</head>
<body>
<h1>${e(m.workflow)} <span class="status status-${e(m.status)}" id="run-status">${e(m.status.replace('_', ' '))}</span></h1>
<div class="sub">run ${e(m.runId)} · started ${e(m.startedAt)} · ${e(m.engine)} engine · ${m.maxParallel} slot${m.maxParallel === 1 ? '' : 's'}</div>
${figuresSection(m)}
<h2>Timeline</h2>
<div class="controls">
<span>Lanes: <label><input type="radio" name="lanes" value="slot" checked> per slot</label> <label><input type="radio" name="lanes" value="step"> per step</label></span>
${LEGEND}
</div>
<div id="timeline"></div>
<h2>Provider usage</h2>
${usageSection(m)}
<h2>Errors</h2>
${errorsSection(m)}
${withoutBarsSection(m)}
<script type="application/json" id="ucop-data">${jsonForScript(m)}</script>
<script>${assets.libraryJs}</script>
<script>${assets.pageJs}</script>
</body>
</html>
`;
}
