import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROWS } from './rows';
import { fileStem, versions } from './upgrade';

/*
 * The habit, kept by a test: every schema migration has its own upgrade test in this folder,
 * named after its source file (`NNNN-name.test.ts` for `NNNN-name.ts`), which calls
 * `upgradeTo(N)`, and realistic rows in rows.ts for the tables it makes, so the tests of later
 * migrations carry real data across it. Adding a migration without them fails here.
 */
const here = new URL('.', import.meta.url);
const testFiles = fs.readdirSync(here).filter((f) => /^\d{4}-.+\.test\.ts$/.test(f));

describe('a test per migration', () => {
  it('every migration has its upgrade test file, and every such file a migration', () => {
    expect(versions().length).toBeGreaterThan(0);
    expect(testFiles.sort()).toEqual(versions().map((v) => `${fileStem(v)}.test.ts`));
  });

  it('each test file upgrades to its own version', () => {
    for (const version of versions()) {
      const text = fs.readFileSync(new URL(`${fileStem(version)}.test.ts`, here), 'utf8');
      expect(text, `${fileStem(version)}.test.ts`).toMatch(new RegExp(`\\bupgradeTo\\(${version}\\b`));
    }
  });

  it('rows.ts has realistic rows for every migration, and for nothing else', () => {
    expect(Object.keys(ROWS).map(Number)).toEqual(versions());
  });
});
