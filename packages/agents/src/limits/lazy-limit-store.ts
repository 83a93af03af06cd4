import type { SharedLimitStore } from './shared-limit-store.ts';

/**
 * A store opened on first use: a run whose providers and stages have no limits never creates the file (nor
 * loads `node:sqlite`). `close` closes it only if it was opened.
 */
export function lazyLimitStore(open: () => Promise<SharedLimitStore>): SharedLimitStore & { readonly opened: boolean } {
  let pending: Promise<SharedLimitStore> | undefined;
  const store = (): Promise<SharedLimitStore> => (pending ??= open());
  return {
    get opened() {
      return pending !== undefined;
    },
    tryAcquire: async (...args) => (await store()).tryAcquire(...args),
    renew: async (...args) => (await store()).renew(...args),
    release: async (...args) => (await store()).release(...args),
    cancel: async (...args) => (await store()).cancel(...args),
    readBreaker: async (...args) => (await store()).readBreaker(...args),
    writeBreaker: async (...args) => (await store()).writeBreaker(...args),
    close: async () => {
      if (pending) await (await pending).close();
    },
  };
}
