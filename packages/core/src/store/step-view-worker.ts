/**
 * The worker thread that writes a run's `steps/` views (see step-views.ts). It receives journal batches
 * after they are durable, renders the view of every succeeded unit in them and writes it; it also writes
 * whole files it is handed (fan-out views, views restored on resume). One file at a time, synchronously:
 * one open file descriptor whatever the run's size, and none of the main thread's time.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { decodeFrames } from './journal-frame.ts';
import { renderStepView } from './step-view.ts';
import type { ViewWorkerMessage, ViewWorkerReply } from './step-view-messages.ts';
import { writeViewFileSync } from './view-file.ts';

const root = (workerData as { dir: string }).dir;
const madeDirs = new Set<string>();
let failure: string | undefined;

function writeView(relative: string, content: string): void {
  writeViewFileSync(join(root, relative), content, madeDirs);
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
