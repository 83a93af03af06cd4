/* global vis, document, window */
// The report page's own script, inlined into report.html after vis-timeline. It reads the run's model from the
// JSON element (never from markup), builds the timeline with DOM text nodes, and switches lanes.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('ucop-data').textContent);
  const t0 = Number.isFinite(Date.parse(data.startedAt)) ? Date.parse(data.startedAt) : 0;

  // vis-timeline shows an item's title as markup: it is escaped here, like everything else from the record.
  const escapes = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => escapes[c]);
  }
  function ms(value) {
    if (value < 1000) return `${Math.round(value)} ms`;
    return `${(value / 1000).toFixed(value < 10000 ? 2 : 1)} s`;
  }
  const KIND_LABEL = { work: 'work', queue: 'queued for a slot', 'rate-limit': 'waiting on a rate limit', backoff: 'backoff before retry' };

  function tooltip(bar) {
    const lines = [
      `<b>${escapeHtml(bar.unit)}</b> · attempt ${bar.attempt}`,
      `${escapeHtml(KIND_LABEL[bar.kind])}${bar.kind === 'work' ? ` · ${escapeHtml(bar.status)}` : ''}`,
      `start +${escapeHtml(ms(bar.startMs))} · end +${escapeHtml(ms(bar.endMs))}`,
      `duration ${escapeHtml(ms(bar.endMs - bar.startMs))}`,
    ];
    if (bar.kind === 'rate-limit') lines.push('total of the step’s rate-limit waits, drawn at its start');
    if (bar.critical) lines.push('on the critical path');
    if (bar.error) lines.push(`<span class="tip-error">${escapeHtml(bar.error.code)}: ${escapeHtml(bar.error.message)}</span>`);
    return lines.join('<br>');
  }

  function label(text) {
    const span = document.createElement('span');
    span.textContent = text;
    return span;
  }

  function groupsFor(mode) {
    if (mode === 'step') return data.stepIds.map((id, i) => ({ id: `step-${i}`, content: label(id) }));
    // Queue waits and backoff hold no slot: they get a lane of their own above the slots.
    const groups = [{ id: 'waiting', content: label('waiting (queue, backoff)') }];
    for (let i = 0; i < data.slotLanes; i += 1) groups.push({ id: `slot-${i}`, content: label(`slot ${i + 1}`) });
    return groups;
  }
  function groupOf(bar, mode) {
    if (mode === 'step') return `step-${data.stepIds.indexOf(bar.stepId)}`;
    return bar.kind === 'queue' || bar.kind === 'backoff' ? 'waiting' : `slot-${bar.lane}`;
  }
  function itemFor(bar, index, mode) {
    const classes = [`kind-${bar.kind}`, bar.kind === 'work' ? `status-${bar.status}` : 'status-waiting'];
    if (bar.critical) classes.push('critical');
    return {
      id: index,
      group: groupOf(bar, mode),
      type: 'range',
      start: new Date(t0 + bar.startMs),
      // A bar of under a millisecond would not be drawn at all.
      end: new Date(t0 + Math.max(bar.endMs, bar.startMs + 0.5)),
      content: bar.kind === 'rate-limit' ? '' : label(bar.unit),
      title: tooltip(bar),
      className: classes.join(' '),
    };
  }

  let mode = 'slot';
  const items = new vis.DataSet(data.bars.map((bar, i) => itemFor(bar, i, mode)));
  const container = document.getElementById('timeline');
  const timeline = new vis.Timeline(container, items, groupsFor(mode), {
    stack: true,
    selectable: false,
    showCurrentTime: false,
    zoomMin: 5,
    margin: { item: { horizontal: 0, vertical: 4 } },
    orientation: 'top',
    tooltip: { followMouse: true, overflowMethod: 'cap', delay: 0 },
    format: {
      minorLabels: (date) => {
        const offset = date.valueOf() - t0;
        return `${offset < 0 ? '−' : '+'}${ms(Math.abs(offset))}`;
      },
      majorLabels: () => '',
    },
    start: new Date(t0 - Math.max(1, data.wallMs * 0.02)),
    end: new Date(t0 + Math.max(2, data.wallMs * 1.02)),
  });

  function setMode(next) {
    mode = next;
    timeline.setGroups(groupsFor(mode));
    items.update(data.bars.map((bar, i) => ({ id: i, group: groupOf(bar, mode) })));
    document.body.dataset.lanes = mode;
  }
  for (const input of document.querySelectorAll('input[name="lanes"]')) {
    input.addEventListener('change', () => setMode(input.value));
  }
  document.body.dataset.lanes = mode;
  // For the browser test and for anyone poking at the page from the console.
  window.ucopReport = { data, timeline, items, setMode };
})();
