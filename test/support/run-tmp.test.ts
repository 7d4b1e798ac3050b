import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const outer = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-outer-'));
afterAll(() => fs.rmSync(outer, { recursive: true, force: true }));

it('a test run leaves nothing behind in the temporary folder, even what a test forgot', () => {
  const project = path.resolve(import.meta.dirname, '..', '..');
  const run = spawnSync(
    process.execPath,
    [
      path.join(project, 'node_modules', 'vitest', 'vitest.mjs'),
      'run',
      '--config',
      'test/support/leaky/vitest.config.ts',
    ],
    { cwd: project, env: { ...process.env, TMPDIR: outer }, encoding: 'utf8', timeout: 60_000 },
  );
  expect(run.stdout + run.stderr).toMatch(/1 passed/);
  expect(run.status).toBe(0);
  expect(fs.readdirSync(outer)).toEqual([]);
}, 90_000);
