// Plants a forbidden import in each direction the architecture forbids and expects lint to refuse it on
// that line; plants the allowed counterparts and expects no boundary error. Nothing is written: the code
// is linted with ESLint.lintText under a file name inside the tree, so the project's own config and
// resolver decide, exactly as `npx eslint .` would.
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** The rules that hold the boundaries (eslint.config.js); other findings (unused imports) are ignored. */
const BOUNDARY_RULES = new Set(['boundaries/dependencies', 'no-restricted-imports', 'no-restricted-syntax']);

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

type Finding = { line: number; ruleId: string; message: string };

async function boundaryFindings(file: string, lines: string[]): Promise<Finding[]> {
  const [result] = await eslint.lintText(lines.join('\n') + '\n', { filePath: path.join(root, file) });
  if (!result) throw new Error(`no lint result for ${file}`);
  const fatal = result.messages.filter((m) => m.fatal || m.ruleId === null);
  expect(
    fatal.map((m) => m.message),
    `${file} must parse and lint`,
  ).toEqual([]);
  return result.messages
    .filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId))
    .map((m) => ({ line: m.line, ruleId: m.ruleId as string, message: m.message }));
}

const HEADER = '// planted by test/architecture/boundaries.test.ts';

type Refused = {
  name: string;
  file: string;
  /** The planted statement: it is line 3, after the header and an allowed line. */
  planted: string;
  ruleId: string;
  /** What the message must tell the reader. */
  says: RegExp;
  /** An allowed line before the planted one (defaults to a plain statement). */
  before?: string;
};

const refused: Refused[] = [
  // c. The core imports nothing of the shell, the renderer or the CLI, by any spelling.
  {
    name: "core → src/main by the bare folder name ('../../main')",
    file: 'src/core/ingest/planted.ts',
    planted: "import { main } from '../../main';",
    ruleId: 'boundaries/dependencies',
    says: /src\/core must not import src\/main/,
  },
  {
    name: "core (app tier) → '../main/index'",
    file: 'src/core/planted.ts',
    planted: "import { main } from '../main/index';",
    ruleId: 'boundaries/dependencies',
    says: /src\/core must not import src\/main/,
  },
  {
    name: "core → src/renderer by the bare folder name ('../../renderer')",
    file: 'src/core/receiving/planted.ts',
    planted: "import type { App } from '../../renderer';",
    ruleId: 'boundaries/dependencies',
    says: /src\/core must not import src\/renderer/,
  },
  {
    name: 'core → src/cli',
    file: 'src/core/ledger/planted.ts',
    planted: "import { run } from '../../cli/main';",
    ruleId: 'boundaries/dependencies',
    says: /src\/core must not import src\/cli/,
  },
  {
    name: "core → 'electron'",
    file: 'src/core/system/planted.ts',
    planted: "import { app } from 'electron';",
    ruleId: 'no-restricted-imports',
    says: /src\/core must not import Electron/,
  },
  {
    name: "core → 'react'",
    file: 'src/core/api/planted.ts',
    planted: "import { useState } from 'react';",
    ruleId: 'no-restricted-imports',
    says: /src\/core must not import React/,
  },
  // a. Tiers import only downward (type-only imports, re-exports and import() count too).
  {
    name: 'storage (ledger) → features (receiving)',
    file: 'src/core/ledger/planted.ts',
    planted: "import { receive } from '../receiving';",
    ruleId: 'boundaries/dependencies',
    says: /storage tier .*features tier above it/,
  },
  {
    name: 'foundation (identifiers) → storage (ledger), type-only',
    file: 'src/core/identifiers/planted.ts',
    planted: "import type { Ledger } from '../ledger/ledger';",
    ruleId: 'boundaries/dependencies',
    says: /foundation tier .*storage tier above it/,
  },
  {
    name: 'records (trace) → features (ingest)',
    file: 'src/core/trace/planted.ts',
    planted: "import { importFile } from '../ingest/pipeline';",
    ruleId: 'boundaries/dependencies',
    says: /records tier .*features tier above it/,
  },
  {
    name: 'records (rules) → features (quarantine) by re-export',
    file: 'src/core/rules/planted.ts',
    planted: "export { openQuarantineItem } from '../quarantine';",
    ruleId: 'boundaries/dependencies',
    says: /records tier .*features tier above it/,
  },
  {
    name: 'storage (store) → records (model) by dynamic import()',
    file: 'src/core/store/planted.ts',
    planted: "export const model = () => import('../model/records');",
    ruleId: 'boundaries/dependencies',
    says: /storage tier .*records tier above it/,
  },
  {
    name: "storage (ledger) → features (ingest) by typeof import('…') in a type",
    file: 'src/core/ledger/planted.ts',
    planted: "export type Jobs = typeof import('../ingest/jobs');",
    ruleId: 'boundaries/dependencies',
    says: /storage tier .*features tier above it/,
  },
  {
    name: 'features (receiving) → app (app.ts)',
    file: 'src/core/receiving/planted.ts',
    planted: "import type { Core } from '../app';",
    ruleId: 'boundaries/dependencies',
    says: /features tier .*app tier above it/,
  },
  {
    name: 'a folder of src/core that is in no tier',
    file: 'src/core/not-in-any-tier/planted.ts',
    planted: "import type { Ledger } from '../ledger/ledger';",
    ruleId: 'boundaries/dependencies',
    says: /not-in-any-tier is in no tier: add 'not-in-any-tier' to its tier in eslint\.tiers\.js/,
  },
  // b. A feature reaches another feature only through its index.ts.
  {
    name: "feature (receiving) → another feature's internals ('../auth/service')",
    file: 'src/core/receiving/planted.ts',
    planted: "import { AuthService } from '../auth/service';",
    ruleId: 'boundaries/dependencies',
    says: /'\.\.\/auth\/service' is inside another feature.*index\.ts/,
  },
  {
    name: "feature → another feature's nested internals, type-only",
    file: 'src/core/folders/planted.ts',
    planted: "import type { Jobs } from '../ingest/jobs';",
    ruleId: 'boundaries/dependencies',
    says: /inside another feature/,
  },
  // d. The renderer imports from the core only types, and only from the API contract.
  {
    name: 'renderer → a type from core/ledger (outside the API contract)',
    file: 'src/renderer/pages/planted.ts',
    planted: "import type { Ledger } from '../../core/ledger/ledger';",
    ruleId: 'boundaries/dependencies',
    says: /only types of the API contract/,
  },
  {
    name: 'renderer → a value from core/api',
    file: 'src/renderer/pages/planted.ts',
    planted: "import { procedures } from '../../core/api';",
    ruleId: 'boundaries/dependencies',
    says: /only types of the API contract/,
  },
  {
    name: 'renderer → src/main',
    file: 'src/renderer/planted.tsx',
    planted: "import { createWindow } from '../main/window';",
    ruleId: 'boundaries/dependencies',
    says: /renderer must not import src\/main/,
  },
  {
    name: 'renderer → src/cli',
    file: 'src/renderer/planted.tsx',
    planted: "import { run } from '../cli/main';",
    ruleId: 'boundaries/dependencies',
    says: /renderer must not import src\/cli/,
  },
  {
    name: "renderer → 'node:fs'",
    file: 'src/renderer/planted.tsx',
    planted: "import { readFileSync } from 'node:fs';",
    ruleId: 'no-restricted-imports',
    says: /No Node modules in the renderer/,
  },
  {
    name: "renderer → 'fs/promises'",
    file: 'src/renderer/planted.tsx',
    planted: "import { readFile } from 'fs/promises';",
    ruleId: 'no-restricted-imports',
    says: /No Node modules in the renderer/,
  },
  {
    name: "renderer → 'electron'",
    file: 'src/renderer/planted.tsx',
    planted: "import { ipcRenderer } from 'electron';",
    ruleId: 'no-restricted-imports',
    says: /only through the preload API/,
  },
  // e. The CLI is a host of its own.
  {
    name: "CLI → '../main/index'",
    file: 'src/cli/planted.ts',
    planted: "import { main } from '../main/index';",
    ruleId: 'boundaries/dependencies',
    says: /src\/cli must not import src\/main/,
  },
  {
    name: 'CLI → src/renderer',
    file: 'src/cli/commands/planted.ts',
    planted: "import type { App } from '../../renderer/App';",
    ruleId: 'boundaries/dependencies',
    says: /src\/cli must not import src\/renderer/,
  },
  // f. The preload stays thin.
  {
    name: "preload → 'node:fs'",
    file: 'src/preload/planted.ts',
    planted: "import { readFileSync } from 'node:fs';",
    ruleId: 'no-restricted-imports',
    says: /preload imports no Node modules/,
  },
  {
    name: "preload → 'path'",
    file: 'src/preload/planted.ts',
    planted: "import path from 'path';",
    ruleId: 'no-restricted-imports',
    says: /preload imports no Node modules/,
  },
  {
    name: 'preload → core code',
    file: 'src/preload/planted.ts',
    planted: "import { procedures } from '../core/api';",
    ruleId: 'boundaries/dependencies',
    says: /preload stays thin.*no core code/,
  },
  // g. The main process imports no renderer and no CLI code.
  {
    name: 'main → src/renderer',
    file: 'src/main/planted.ts',
    planted: "import { App } from '../renderer/App';",
    ruleId: 'boundaries/dependencies',
    says: /src\/main must not import src\/renderer/,
  },
  {
    name: 'main → src/cli',
    file: 'src/main/planted.ts',
    planted: "import { run } from '../cli/main';",
    ruleId: 'boundaries/dependencies',
    says: /src\/main must not import src\/cli/,
  },
  // h. One write path into the ledger.
  {
    name: 'ledger.transact(…) outside src/core/ledger',
    file: 'src/core/ingest/planted.ts',
    before: 'declare const ledger: { transact(fn: () => number): void };',
    planted: 'ledger.transact(() => 1);',
    ruleId: 'no-restricted-syntax',
    says: /through the workspace \(src\/core\/ledger\/workspace\.ts\): the one write path/,
  },
  {
    name: 'ledger.transactSync(…) in the app tier',
    file: 'src/core/app.planted.ts',
    before: 'declare const ledger: { transactSync(fn: () => number): void };',
    planted: 'ledger.transactSync(() => 1);',
    ruleId: 'no-restricted-syntax',
    says: /the one write path/,
  },
  {
    name: "ledger['transactAcrossAwaits'](…) in the CLI",
    file: 'src/cli/planted.ts',
    before: 'declare const ledger: { transactAcrossAwaits(fn: () => number): void };',
    planted: "void ledger['transactAcrossAwaits'](() => 1);",
    ruleId: 'no-restricted-syntax',
    says: /the one write path/,
  },
  {
    name: 'destructuring transact off the ledger',
    file: 'src/core/receiving/planted.ts',
    before: 'declare const ledger: { transact(fn: () => number): void };',
    planted: 'const { transact } = ledger;',
    ruleId: 'no-restricted-syntax',
    says: /the one write path/,
  },
];

type Allowed = { name: string; file: string; lines: string[] };

const allowed: Allowed[] = [
  {
    name: "feature → another feature through its index ('../auth')",
    file: 'src/core/receiving/planted.ts',
    lines: ["import { AuthService } from '../auth';", "import type { Session } from '../auth/index';"],
  },
  {
    name: 'feature → its own internals',
    file: 'src/core/receiving/planted.ts',
    lines: ["import { ReceivingService } from './service';", "import type { X } from './nested/x';"],
  },
  {
    name: 'feature → records, storage and foundation',
    file: 'src/core/receiving/planted.ts',
    lines: [
      "import type { Finding } from '../model/findings';",
      "import type { Ledger } from '../ledger/ledger';",
      "import { parseGtin } from '../identifiers';",
    ],
  },
  {
    name: 'records → storage and foundation',
    file: 'src/core/trace/planted.ts',
    lines: [
      "import type { Ledger } from '../ledger/ledger';",
      "import { openDatabase } from '../store/database';",
      "export { parseGtin } from '../identifiers';",
    ],
  },
  {
    name: 'storage → storage and foundation',
    file: 'src/core/ledger/planted.ts',
    lines: [
      "import { openDatabase } from '../store/database';",
      "import type { Clock } from '../platform/clock';",
    ],
  },
  {
    name: 'app tier → any tier, features internals included (composition)',
    file: 'src/core/planted.ts',
    lines: [
      "import { receivingHandlers } from './receiving/handlers';",
      "import type { Ledger } from './ledger/ledger';",
      "import { createCore } from './app';",
    ],
  },
  {
    name: 'renderer → types from the API contract',
    file: 'src/renderer/pages/planted.tsx',
    lines: [
      "import type { Procedures } from '../../core/api';",
      "import type { PartnerInput } from '../../core/api/procedures/partners';",
    ],
  },
  {
    name: 'main and CLI → the core',
    file: 'src/main/planted.ts',
    lines: [
      "import { createCore } from '../core/app';",
      "import type { Ledger } from '../core/ledger/ledger';",
    ],
  },
  {
    name: 'CLI → the core',
    file: 'src/cli/commands/planted.ts',
    lines: [
      "import { createCore } from '../../core/app';",
      "import { AuthService } from '../../core/auth/service';",
    ],
  },
  {
    name: "preload → 'electron'",
    file: 'src/preload/planted.ts',
    lines: ["import { contextBridge, ipcRenderer } from 'electron';"],
  },
  {
    name: 'the ledger calls its own transaction methods; DSCSA transactions are not ledger writes',
    file: 'src/core/ledger/planted.ts',
    lines: ['declare const ledger: { transact(fn: () => number): void };', 'ledger.transact(() => 1);'],
  },
  {
    name: 'db.transaction(…) and record.transactionId are not ledger writes',
    file: 'src/core/inventory/planted.ts',
    lines: [
      'declare const db: { transaction(fn: () => void): () => void };',
      'declare const record: { transactionId: string; transactions: string[] };',
      'db.transaction(() => undefined)();',
      'export const id = [record.transactionId, record.transactions];',
    ],
  },
];

describe('lint refuses each forbidden import on its line', () => {
  it.each(refused)('$name', async ({ file, planted, before, ruleId, says }) => {
    const findings = await boundaryFindings(file, [HEADER, before ?? 'export const probe = 1;', planted]);
    expect(findings, `${file}: ${planted}`).toEqual([
      { line: 3, ruleId, message: expect.stringMatching(says) },
    ]);
  });
});

describe('lint lets the allowed imports through', () => {
  it.each(allowed)('$name', async ({ file, lines }) => {
    expect(await boundaryFindings(file, [HEADER, ...lines])).toEqual([]);
  });
});
