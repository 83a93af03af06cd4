import { describe, it, expect } from 'vitest';
import { createStagedStateView } from './staged-state-view.ts';
import { StateStore } from './state-store.ts';
import { isUcopError } from '../errors/ucop-error.ts';

function thrownBy(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('createStagedStateView', () => {
  const store = new StateStore({ notes: { reducer: 'append' }, title: { reducer: 'replace', initial: 't' } });

  it('reads committed values through to the store', () => {
    const view = createStagedStateView(store, ['notes'], 'outline');
    expect(view.get('title')).toBe('t');
    expect(view.snapshot()).toBe(store.snapshot());
  });

  it('stages clones of written values and drains them in order', () => {
    const view = createStagedStateView(store, ['notes'], 'outline');
    const value = { n: 1 };
    view.write('notes', value);
    value.n = 2;
    view.write('notes', 'second');
    expect(view.drain()).toEqual([{ key: 'notes', value: { n: 1 } }, { key: 'notes', value: 'second' }]);
    expect(view.drain()).toEqual([]);
    expect(store.get('notes')).toEqual([]); // nothing committed by staging
  });

  it('keeps working when an agent takes its methods apart', () => {
    const { get, snapshot, write } = createStagedStateView(store, ['notes'], 'outline');
    const view = createStagedStateView(store, ['notes'], 'outline');
    expect(get('title')).toBe('t');
    expect(snapshot()).toBe(store.snapshot());
    const { write: writeToView } = view;
    writeToView('notes', 'x');
    expect(view.drain()).toEqual([{ key: 'notes', value: 'x' }]);
    expect(() => write('title', 'no')).toThrow(/writes:/);
  });

  it('rejects a key missing from `writes:`, naming the step and what to add', () => {
    const view = createStagedStateView(store, ['notes'], 'outline');
    const error = thrownBy(() => view.write('title', 'x'));
    expect(isUcopError(error) && error.code).toBe('STATE_WRITE_REJECTED');
    expect((error as Error).message).toContain('step "outline"');
    expect((error as Error).message).toContain('add "title" to the step\'s `writes:`');
    expect(view.drain()).toEqual([]);
  });

  it('rejects writes after seal()', () => {
    const view = createStagedStateView(store, ['notes'], 'outline');
    view.write('notes', 1);
    view.seal();
    const error = thrownBy(() => view.write('notes', 2));
    expect(isUcopError(error) && error.code).toBe('STATE_WRITE_REJECTED');
    expect(isUcopError(error) && error.fields.reason).toBe('sealed');
    expect(view.drain()).toEqual([{ key: 'notes', value: 1 }]);
  });

  it('rejects values that cannot be cloned', () => {
    const view = createStagedStateView(store, ['notes'], 'outline');
    const error = thrownBy(() => view.write('notes', () => 1));
    expect(isUcopError(error) && error.code).toBe('STATE_WRITE_REJECTED');
  });

  it('seals itself at the first write after the given signal aborted', () => {
    const controller = new AbortController();
    const view = createStagedStateView(store, ['notes'], 'outline', controller.signal);
    view.write('notes', 'before');
    controller.abort();
    const error = thrownBy(() => view.write('notes', 'after'));
    expect(isUcopError(error) && error.code).toBe('STATE_WRITE_REJECTED');
    expect(isUcopError(error) && error.fields.reason).toBe('sealed');
    expect(view.drain()).toEqual([{ key: 'notes', value: 'before' }]);
  });
});
