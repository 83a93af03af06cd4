import { describe, it, expect } from 'vitest';
import { satisfiesRange } from './version-range.ts';

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

  it('reads a version with a leading v or surrounding spaces, and refuses an unreadable version', () => {
    expect(satisfiesRange(' v24.21.0 ', '>=24')).toBe(true);
    expect(satisfiesRange('not-a-version', '>=24')).toBeUndefined();
  });

  it('accepts a pre-release only in a range that names one', () => {
    expect(satisfiesRange('2.0.0-rc.2', '>=2.0.0-rc.1')).toBe(true);
    expect(satisfiesRange('1.0.0-rc.1', '<1.0.0')).toBe(false);
  });
});
