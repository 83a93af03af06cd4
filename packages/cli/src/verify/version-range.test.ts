import { describe, it, expect } from 'vitest';
import { satisfiesRange, parseVersion, compareVersions } from './version-range.ts';

describe('satisfiesRange', () => {
  it.each([
    ['1.9.1', '^1.9.1', true],
    ['1.10.0', '^1.9.1', true],
    ['2.0.0', '^1.9.1', false],
    ['1.9.0', '^1.9.1', false],
    ['0.26.4', '^0.26.0', true],
    ['0.27.0', '^0.26.0', false],
    ['0.0.3', '^0.0.3', true],
    ['0.0.4', '^0.0.3', false],
    ['1.2.9', '~1.2.3', true],
    ['1.3.0', '~1.2.3', false],
    ['24.21.0', '>=24', true],
    ['20.19.0', '>=24', false],
    ['1.2.7', '1.2', true],
    ['1.3.0', '1.x', true],
    ['2.0.0', '1', false],
    ['24.21.0', '>=24.0.0', true],
    ['20.19.0', '>=24.0.0', false],
    ['2.0.0-beta.1', '^2.0.0', false],
    ['1.5.0', '^1.0.0 || ^2.0.0', true],
    ['3.0.0', '^1.0.0 || ^2.0.0', false],
    ['1.5.0', '>=1.2.0 <2.0.0', true],
    ['2.5.0', '>=1.2.0 <2.0.0', false],
    ['1.0.0', 'github:foo/bar', undefined],
  ] as const)('%s in %s is %s', (version, range, expected) => {
    expect(satisfiesRange(version, range)).toBe(expected);
  });

  it('orders pre-releases before their release', () => {
    expect(compareVersions(parseVersion('1.0.0-rc.1')!, parseVersion('1.0.0')!)).toBeLessThan(0);
  });
});
