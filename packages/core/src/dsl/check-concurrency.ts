import type { CheckContext } from './check-context.ts';
import { reporter } from './check-context.ts';
import { didYouMeanHint } from './did-you-mean.ts';
import { isRecord } from './workflow-normalize.ts';
import { stepList } from './step-entries.ts';

/**
 * UNKNOWN_CONCURRENCY_GROUP: a step that names a concurrency group without a limit relies on a limit set
 * elsewhere: under `config.concurrency`, on another step (`{ group, limit }`), or outside the workflow.
 */
export function checkConcurrency(ctx: CheckContext): void {
  const r = reporter(ctx);
  const limited = new Set<string>([...ctx.externalConcurrencyGroups, ...Object.keys(isRecord(ctx.doc.config.concurrency) ? ctx.doc.config.concurrency : {})]);
  const { ids, specs } = stepList(ctx.doc);
  for (const step of specs) {
    const c = step.concurrency as unknown;
    if (isRecord(c) && typeof c.group === 'string' && typeof c.limit === 'number') limited.add(c.group);
  }
  for (let i = 0; i < ids.length; i += 1) {
    const c = specs[i]!.concurrency as unknown;
    if (c === undefined) continue;
    const id = ids[i]!;
    const group = typeof c === 'string' ? c : isRecord(c) && typeof c.group === 'string' && c.limit === undefined ? c.group : undefined;
    if (group === undefined || limited.has(group)) continue;
    r.at(
      'UNKNOWN_CONCURRENCY_GROUP',
      typeof c === 'string' ? ['steps', id, 'concurrency'] : ['steps', id, 'concurrency', 'group'],
      `step \`${id}\` joins the concurrency group \`${group}\`, which has no limit: add \`config.concurrency.${group}: { limit: N }\` or write \`concurrency: { group: ${group}, limit: N }\``,
      didYouMeanHint(group, limited),
    );
  }
}
