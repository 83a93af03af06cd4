/** What the main thread sends the view worker (step-view-worker.ts). */
export type ViewWorkerMessage =
  | { kind: 'frames'; bytes: Uint8Array }
  | { kind: 'file'; path: string; content: string }
  | { kind: 'drain'; id: number };

/** What the view worker answers to a `drain`: everything sent before it is written, or the first error. */
export interface ViewWorkerReply {
  kind: 'drained';
  id: number;
  error?: string;
}
