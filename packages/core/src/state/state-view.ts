/**
 * What an agent sees of the shared state. Reads return the committed values (a consistent snapshot);
 * writes are staged for the current attempt and committed atomically, under the store's mutex, only if
 * the attempt succeeds and has not been cancelled or timed out.
 */
export interface StateView {
  get(key: string): unknown;
  snapshot(): Readonly<Record<string, unknown>>;
  /** Stages a write to a declared key the step lists under `writes:`; throws STATE_WRITE_REJECTED otherwise. */
  write(key: string, value: unknown): void;
}

/** A staged write as it travels from an attempt (possibly on another machine) to the store. */
export interface StateWrite {
  key: string;
  value: unknown;
}
