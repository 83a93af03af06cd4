import { afterEach, beforeEach, describe, it, expect, vi } from 'vitest';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GroupCommitLog } from './group-commit-log.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ucop-gc-'));
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

describe('group commit', () => {
  it('makes many records durable with one write and one fsync', async () => {
    const handle = await open(join(dir, 'log'), 'w');
    const sync = vi.spyOn(handle, 'datasync');
    const write = vi.spyOn(handle, 'write');
    const batches: number[] = [];
    const log = new GroupCommitLog(handle, { onDurable: (batch) => batches.push(batch.length) });
    for (let i = 0; i < 1_000; i += 1) log.append(Buffer.from(`record ${i}\n`));
    await log.flush();
    expect(sync).toHaveBeenCalledTimes(1);
    expect(write).toHaveBeenCalledTimes(1);
    await log.close();
    const text = await readFile(join(dir, 'log'), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(1_000);
    expect(batches).toEqual([text.length]);
  });

  it('writes a record by itself no later than the delay, without being asked', async () => {
    vi.useFakeTimers();
    const handle = await open(join(dir, 'log'), 'w');
    const sync = vi.spyOn(handle, 'datasync');
    const durable: Buffer[] = [];
    const log = new GroupCommitLog(handle, { maxDelayMs: 20, onDurable: (b) => durable.push(b) });
    log.append(Buffer.from('one\n'));
    await vi.advanceTimersByTimeAsync(19);
    expect(sync).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    vi.useRealTimers();
    await vi.waitFor(() => expect(durable).toHaveLength(1));
    expect(sync).toHaveBeenCalledTimes(1);
    await log.close();
  });

  it('records appended while a batch is being written go in the next one; flush waits for them too', async () => {
    const handle = await open(join(dir, 'log'), 'w');
    const log = new GroupCommitLog(handle, { maxDelayMs: 1 });
    log.append(Buffer.from('a\n'));
    const first = log.flush();
    log.append(Buffer.from('b\n'));
    const second = log.flush();
    await Promise.all([first, second]);
    expect(await readFile(join(dir, 'log'), 'utf8')).toBe('a\nb\n');
    await log.close();
  });

  it('rejects flushes after a failed write, with the error', async () => {
    const handle = await open(join(dir, 'log'), 'w');
    vi.spyOn(handle, 'datasync').mockRejectedValue(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
    const log = new GroupCommitLog(handle);
    log.append(Buffer.from('a\n'));
    await expect(log.flush()).rejects.toMatchObject({ code: 'ENOSPC' });
    log.append(Buffer.from('b\n'));
    await expect(log.flush()).rejects.toMatchObject({ code: 'ENOSPC' });
    await expect(log.close()).rejects.toMatchObject({ code: 'ENOSPC' });
  });

  it('lets beforeBatch add to the batch being taken, and commitSoon asks for a batch with nothing appended', async () => {
    const handle = await open(join(dir, 'log'), 'w');
    const write = vi.spyOn(handle, 'write');
    const extra: string[] = [];
    const log = new GroupCommitLog(handle, { maxDelayMs: 1, beforeBatch: () => extra.splice(0).forEach((e) => log.append(Buffer.from(e))) });
    // Nothing appended, nothing given by the hook: commitSoon writes nothing.
    log.commitSoon();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(write).not.toHaveBeenCalled();
    // The hook's frames join the batch of the frame appended before them, in one write.
    log.append(Buffer.from('a\n'));
    extra.push('started\n');
    await log.flush();
    expect(write).toHaveBeenCalledTimes(1);
    // With nothing appended, commitSoon still lets the hook give its frames.
    extra.push('later\n');
    log.commitSoon();
    await vi.waitFor(() => expect(write).toHaveBeenCalledTimes(2));
    await log.close();
    expect(await readFile(join(dir, 'log'), 'utf8')).toBe('a\nstarted\nlater\n');
  });

  it('fills batches in place past their first size and reuses them, every byte kept in order', async () => {
    const handle = await open(join(dir, 'log'), 'w');
    const log = new GroupCommitLog(handle, { maxDelayMs: 1 });
    const expected: string[] = [];
    // 3 batches of ~150 KiB (more than a batch buffer holds at first), the last ones in reused buffers.
    for (let batch = 0; batch < 3; batch += 1) {
      for (let i = 0; i < 1_500; i += 1) {
        const line = `batch ${batch} record ${i} ${'x'.repeat(80)}\n`;
        expected.push(line);
        log.append(Buffer.from(line));
      }
      await log.flush();
    }
    await log.close();
    expect(await readFile(join(dir, 'log'), 'utf8')).toBe(expected.join(''));
  });
});
