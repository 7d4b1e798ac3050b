import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Every test run works in a temporary folder of its own and removes it at the end, whatever the
 * tests forgot: os.tmpdir() reads TMPDIR, which the test processes (forked after this runs) and the
 * children they spawn inherit. Artifacts a test keeps on purpose go to test-results/ instead.
 * Used as vitest's and Playwright's global setup.
 */
export default function setup(): () => void {
  const outer = process.env.TMPDIR ?? os.tmpdir();
  const run = fs.mkdtempSync(path.join(outer, 'custodia-test-run-'));
  process.env.TMPDIR = run;
  return () => {
    process.env.TMPDIR = outer;
    fs.rmSync(run, { recursive: true, force: true });
  };
}
