import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { quietOnClosedPipe } from './closed-pipe.ts';

class FakeStream extends EventEmitter {
  readonly chunks: string[] = [];
  readonly isTTY = false;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
}

function fail(stream: FakeStream, code: string): void {
  stream.emit('error', Object.assign(new Error(`write ${code}`), { code }));
}

describe('quietOnClosedPipe', () => {
  it('drops the output quietly once the reader has gone (EPIPE), instead of an uncaught error', () => {
    const stream = new FakeStream();
    const reports: string[] = [];
    const out = quietOnClosedPipe(stream, (m) => reports.push(m));
    out.write('first\n');
    fail(stream, 'EPIPE');
    out.write('second\n');
    expect(stream.chunks).toEqual(['first\n']);
    expect(reports).toEqual([]);
    expect(out.isTTY).toBe(false);
  });

  it('reports another stream error once, then drops the output too', () => {
    const stream = new FakeStream();
    const reports: string[] = [];
    const out = quietOnClosedPipe(stream, (m) => reports.push(m));
    fail(stream, 'EIO');
    fail(stream, 'EIO');
    out.write('lost\n');
    expect(stream.chunks).toEqual([]);
    expect(reports).toEqual(['ucop: output stream failed (EIO); further output is dropped\n']);
  });
});
