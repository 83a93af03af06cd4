/**
 * The worker thread that writes a run's `steps/` views (see step-views.ts). It receives journal batches
 * after they are durable, renders the view of every succeeded unit in them and writes it; it also writes
 * whole files it is handed (fan-out views, views restored on resume). One file at a time, synchronously:
 * one open file descriptor whatever the run's size, and none of the main thread's time.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { decodeFrames } from './journal-frame.ts';
import { renderStepView } from './step-view.ts';
import type { ViewWorkerMessage, ViewWorkerReply } from './step-view-messages.ts';

const root = (workerData as { dir: string }).dir;
const madeDirs = new Set<string>();
let failure: string | undefined;

// Write-to-temporary-then-rename, so that a view is either the old file or the whole new one even if the
// process is killed mid-write. No fsync: the journal is what is durable; a view can be rebuilt from it.
function writeView(relative: string, content: string): void {
  const path = join(root, relative);
  const dir = dirname(path);
  if (!madeDirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
  }
  const temp = join(dir, `.${relative.slice(relative.lastIndexOf('/') + 1)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, content, { flag: 'wx', mode: 0o644 });
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Not created.
    }
    throw error;
  }
}

function handle(message: ViewWorkerMessage): void {
  if (message.kind === 'drain') {
    const reply: ViewWorkerReply = { kind: 'drained', id: message.id, ...(failure !== undefined ? { error: failure } : {}) };
    parentPort!.postMessage(reply);
    return;
  }
  if (failure !== undefined) return;
  try {
    if (message.kind === 'file') {
      writeView(message.path, message.content);
      return;
    }
    for (const record of decodeFrames(message.bytes).records) {
      if (record.t !== 'unit') continue;
      const view = renderStepView(record);
      if (view) writeView(view.path, view.content);
    }
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
}

parentPort!.on('message', handle);
