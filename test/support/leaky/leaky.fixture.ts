import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

// Run only by test/support/run-tmp.test.ts: a test that forgets to remove what it made.
it('makes a temporary folder and forgets it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-forgotten-'));
  fs.writeFileSync(path.join(dir, 'ledger.db'), 'x');
  expect(fs.existsSync(dir)).toBe(true);
});
