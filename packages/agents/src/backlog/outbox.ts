import { open, readFile, type FileHandle } from 'node:fs/promises';

/** One line of the outbox: an item the tracker created, recorded once the tracker said so. */
export type OutboxRecord = { key: string; item: string; tracker_id: string };

/**
 * The tracker outbox: an append-only file of JSON lines, one per item the tracker has created, each written
 * and flushed to disk (fdatasync) before the next request that depends on it. A run that is killed and
 * resumed reads it back and sends only the items it does not list; a last line torn by the kill is ignored
 * (its item is sent again under the same idempotency key, and the tracker answers with the item it made).
 */
export class Outbox {
  readonly #created: Map<string, OutboxRecord>;
  readonly #handle: FileHandle;
  #tail: Promise<void> = Promise.resolve();

  private constructor(handle: FileHandle, created: Map<string, OutboxRecord>) {
    this.#handle = handle;
    this.#created = created;
  }

  /** Opens (or creates) the outbox at `path` and reads what it already records. */
  static async open(path: string): Promise<Outbox> {
    const created = new Map<string, OutboxRecord>();
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const record = JSON.parse(line) as OutboxRecord;
        if (typeof record.key === 'string' && typeof record.tracker_id === 'string') created.set(record.key, record);
      } catch {
        // A line torn by a kill: its item is sent again under the same key.
      }
    }
    // A torn last line without its newline would glue onto the next record: start on a fresh line.
    const handle = await open(path, 'a');
    if (text !== '' && !text.endsWith('\n')) await handle.write('\n');
    return new Outbox(handle, created);
  }

  get(key: string): OutboxRecord | undefined {
    return this.#created.get(key);
  }

  get size(): number {
    return this.#created.size;
  }

  /** Records a created item durably; records are appended one at a time, in the order they are given. */
  record(record: OutboxRecord): Promise<void> {
    this.#created.set(record.key, record);
    const write = this.#tail.then(async () => {
      await this.#handle.write(`${JSON.stringify(record)}\n`);
      await this.#handle.datasync();
    });
    this.#tail = write.catch(() => undefined);
    return write;
  }

  async close(): Promise<void> {
    await this.#tail;
    await this.#handle.close();
  }
}
