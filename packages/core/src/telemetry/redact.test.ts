import { describe, it, expect, afterEach } from 'vitest';
import { redactSecrets, redactString, registerSecret, clearRegisteredSecrets, isSecretKey, REDACTED } from './redact.ts';
import { UcopError } from '../errors/ucop-error.ts';

afterEach(() => {
  clearRegisteredSecrets();
});

describe('redactSecrets', () => {
  it('masks values of secret-looking keys, at any depth', () => {
    const input = {
      api_key: 'abc',
      apiKey: 'abc',
      headers: { Authorization: 'Basic x', 'x-api-key': 'k' },
      nested: [{ token: 't', password: 'p', client_secret: 's', accessToken: 'a' }],
      keep: 'visible',
    };
    expect(redactSecrets(input)).toEqual({
      api_key: REDACTED,
      apiKey: REDACTED,
      headers: { Authorization: REDACTED, 'x-api-key': REDACTED },
      nested: [{ token: REDACTED, password: REDACTED, client_secret: REDACTED, accessToken: REDACTED }],
      keep: 'visible',
    });
    expect(input.api_key).toBe('abc'); // the input is not changed
  });

  it('keeps usage counters and other look-alikes', () => {
    for (const key of ['inputTokens', 'outputTokens', 'maxTokens', 'tokenizer', 'author', 'secretary_name']) {
      expect(isSecretKey(key), key).toBe(false);
    }
    expect(redactSecrets({ usage: { inputTokens: 10, maxTokens: 5 } })).toEqual({ usage: { inputTokens: 10, maxTokens: 5 } });
  });

  it('masks bearer tokens and sk- keys inside strings', () => {
    expect(redactString('curl -H "Authorization: Bearer eyJhbGciOi.J9abc.def"')).toBe(`curl -H "Authorization: Bearer ${REDACTED}"`);
    expect(redactString('key sk-proj-AbCdEfGhIjKlMnOpQrSt123 used')).toBe(`key ${REDACTED} used`);
    expect(redactString('sk-ant-api03-abcdefghijklmnopqrstuvwx')).toBe(REDACTED);
    expect(redactString('a short sk-1 stays')).toBe('a short sk-1 stays');
  });

  it('always masks registered secrets, wherever they appear', () => {
    registerSecret('hunter2-very-secret');
    registerSecret('abc'); // too short to register
    expect(redactSecrets({ message: 'login with hunter2-very-secret failed', list: ['xhunter2-very-secretx'] })).toEqual({
      message: `login with ${REDACTED} failed`,
      list: [`x${REDACTED}x`],
    });
    expect(redactString('abc')).toBe('abc');
  });

  it('flattens errors and survives cycles', () => {
    registerSecret('topsecretvalue');
    const error = new UcopError('PROVIDER_HTTP', 'request with topsecretvalue failed');
    expect(redactSecrets({ error })).toEqual({ error: { name: 'UcopError', message: `request with ${REDACTED} failed`, code: 'PROVIDER_HTTP' } });
    const cyclic: Record<string, unknown> = { a: 'sk-abcdefghijklmnopqrstuv' };
    cyclic.self = cyclic;
    const out = redactSecrets(cyclic);
    expect(out.a).toBe(REDACTED);
    expect(out.self).toBe(out);
  });
});
