import { describe, it, expect, afterEach } from 'vitest';
import { createLogger } from './console-logger.ts';
import { registerSecret, clearRegisteredSecrets, REDACTED } from '../telemetry/redact.ts';

afterEach(() => {
  clearRegisteredSecrets();
});

function capture() {
  const lines: string[] = [];
  return { lines, sink: (line: string) => void lines.push(line) };
}

describe('createLogger', () => {
  it('writes text lines at or above the level, with fields', () => {
    const { lines, sink } = capture();
    const logger = createLogger({ level: 'info', sink, fields: { run: 'r1' } });
    logger.debug('hidden');
    logger.info('step started', { step: 'outline', attempt: 2, note: 'two words' });
    logger.error('failed');
    expect(lines).toEqual(['INFO  step started run=r1 step=outline attempt=2 note="two words"', 'ERROR failed run=r1']);
  });

  it('writes JSON lines', () => {
    const { lines, sink } = capture();
    const logger = createLogger({ level: 'debug', sink, json: true, now: () => 0 });
    logger.log('debug', 'hello', { n: 1 });
    expect(JSON.parse(lines[0]!)).toEqual({ level: 'debug', time: '1970-01-01T00:00:00.000Z', message: 'hello', n: 1 });
  });

  it('redacts secrets from messages and fields, in both formats', () => {
    registerSecret('my-env-api-key-123');
    for (const json of [false, true]) {
      const { lines, sink } = capture();
      const logger = createLogger({ sink, json, fields: { apiKey: 'base-secret' } }).child({ authorization: 'Bearer abcdefghijkl' });
      logger.warn('calling with my-env-api-key-123 and sk-abcdefghijklmnopqrstu', { headers: { token: 't0k3n' }, body: 'Bearer zzzzzzzzzzzz' });
      const line = lines[0]!;
      for (const secret of ['my-env-api-key-123', 'sk-abcdefghijklmnopqrstu', 'base-secret', 'abcdefghijkl', 't0k3n', 'zzzzzzzzzzzz']) {
        expect(line, `${secret} in ${line}`).not.toContain(secret);
      }
      expect(line).toContain(REDACTED);
    }
  });

  it('children add fields without changing the parent', () => {
    const { lines, sink } = capture();
    const parent = createLogger({ sink, fields: { run: 'r' } });
    parent.child({ step: 's' }).info('a');
    parent.info('b');
    expect(lines).toEqual(['INFO  a run=r step=s', 'INFO  b run=r']);
  });
});
