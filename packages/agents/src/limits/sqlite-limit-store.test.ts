import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteLimitStore } from './sqlite-limit-store.ts';
import { limitStoreContract } from './testing/limit-store-contract.ts';

// Each open is a separate connection to one file: what a second `ucop run` process has.
async function sqliteNamespace() {
  const dir = mkdtempSync(join(tmpdir(), 'ucop-limits-'));
  const path = join(dir, 'nested', 'limits.sqlite');
  return {
    open: () => openSqliteLimitStore(path),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

describe('the sqlite limit store', () => {
  limitStoreContract(sqliteNamespace);

  it('creates the directories of its file, and the state outlives the connection', async () => {
    const namespace = await sqliteNamespace();
    try {
      const store = await namespace.open();
      const spec = { key: 'k', windows: [{ name: 'rpm', limit: 1, windowMs: 60_000, measure: 'requests' as const }] };
      expect((await store.tryAcquire(spec, {}, 0, 1000)).granted).toBe(true);
      await store.close();
      const again = await namespace.open();
      expect((await again.tryAcquire(spec, {}, 1, 1000)).granted).toBe(false);
      await again.close();
    } finally {
      await namespace.dispose();
    }
  });
});
