import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { lintComponent } from '../../src/core/identifiers/ai-validate';
import { hasLinter } from '../../src/core/identifiers/linters';

// Unit tests of the GS1 Syntax Dictionary component linters (gs1-syntax-engine src/c-lib/syntax/lint_*.c).
const vectors: Record<string, { data: unknown; expect: string }[]> = JSON.parse(
  readFileSync(
    new URL('../fixtures/identifiers/syntax-dictionary-linter-tests.json', import.meta.url),
    'utf8',
  ),
).linters;

const CHARSET_LINTERS = ['csetnumeric', 'cset82', 'cset39', 'cset64'];

it('GS1 Syntax Dictionary component linters', () => {
  const failures: string[] = [];
  let passed = 0;
  let total = 0;
  let linters = 0;
  const notImplemented: string[] = [];
  for (const [fn, cases] of Object.entries(vectors)) {
    const name = fn.replace(/^gs1_lint_/, '');
    if (!Array.isArray(cases)) continue;
    if (!CHARSET_LINTERS.includes(name) && !hasLinter(name)) {
      notImplemented.push(`${name} (${cases.length})`);
      continue;
    }
    linters++;
    for (const c of cases) {
      if (typeof c.data !== 'string') continue; // raw non-UTF-8 bytes cannot reach us as a JS string
      // A linter called alone on data its component's type already rejects (wrong length, non-digits), or
      // the engine's test-only GCP lookup: in our pipeline the type/length check runs first.
      const guarded =
        /NON_DIGIT_CHARACTER|INVALID_CSET82_CHARACTER|TOO_SHORT|TOO_LONG|INVALID_LENGTH|DATASOURCE_OFFLINE|MUST_BE_ONE_CHARACTER|INVALID_GCP_PREFIX/;
      if (!CHARSET_LINTERS.includes(name) && guarded.test(c.expect)) continue;
      total++;
      const got = lintComponent(name, c.data);
      const want = c.expect === 'pass' ? 'GS1_LINTER_OK' : c.expect;
      if (got === want) passed++;
      else failures.push(`${name}(${JSON.stringify(c.data)}): got ${got}, want ${want}`);
    }
  }
  console.log(
    `gs1-syntax-engine component linters: ${passed}/${total} passed (${linters} linters); not implemented: ${notImplemented.join(', ')}`,
  );
  expect(failures.slice(0, 40)).toEqual([]);
  // How many ran, so a fixture that went missing or lost linters cannot pass with none.
  expect({ linters, total, passed }).toEqual({ linters: 33, total: 2302, passed: 2302 });
});
