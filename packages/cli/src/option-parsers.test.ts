import { describe, it, expect } from 'vitest';
import { InvalidArgumentError } from 'commander';
import { commaList, duration, guardDuration, nonNegativeInteger, positiveInteger, positiveNumber } from './option-parsers.ts';

describe('option value parsers', () => {
  it('positiveInteger takes digits only, at least 1', () => {
    expect(positiveInteger('8')).toBe(8);
    expect(positiveInteger(' 12 ')).toBe(12);
    for (const bad of ['0', '-1', 'abc', '', '1.5', '4.0', '1e1', '0x4', '99999999999999999999']) {
      expect(() => positiveInteger(bad), bad).toThrow(InvalidArgumentError);
    }
  });

  it('nonNegativeInteger also takes 0, never an empty value', () => {
    expect(nonNegativeInteger('0')).toBe(0);
    for (const bad of ['', ' ', '-1', '1e2', '0b1']) expect(() => nonNegativeInteger(bad), bad).toThrow('at least 0');
  });

  it('positiveNumber takes decimals above 0', () => {
    expect(positiveNumber('0.5')).toBe(0.5);
    expect(positiveNumber('.25')).toBe(0.25);
    expect(positiveNumber('2e-1')).toBe(0.2);
    for (const bad of ['0', '', 'Infinity', '0x1', '-1', 'fast']) expect(() => positiveNumber(bad), bad).toThrow('above 0');
  });

  it('duration and commaList', () => {
    expect(duration('1h30m')).toBe('1h30m');
    expect(() => duration('30')).toThrow('expected a duration');
    expect(commaList(' a, ,b ,')).toEqual(['a', 'b']);
  });

  it('guardDuration refuses 0, which would switch the deadline off, and what duration refuses', () => {
    expect(guardDuration('1ms')).toBe('1ms');
    expect(() => guardDuration('0ms')).toThrow('expected a duration above zero (0 would switch the deadline off');
    expect(() => guardDuration('0h0m')).toThrow('expected a duration above zero');
    expect(() => guardDuration('soon')).toThrow('expected a duration such as');
  });
});
