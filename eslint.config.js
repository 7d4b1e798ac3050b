// @ts-check
import { builtinModules } from 'node:module';
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import boundaries from 'eslint-plugin-boundaries';
import { CORE_FOLDER_TIERS, TIER_ORDER, tiersVisibleFrom } from './eslint.tiers.js';

// Every Node builtin: by bare name ('fs'), with its sub-paths ('fs/promises') and as 'node:…'.
const nodeBuiltinPaths = builtinModules.filter((name) => !name.startsWith('_') && !name.includes('/'));
const nodeBuiltinPatterns = ['node:*', ...nodeBuiltinPaths.map((name) => `${name}/*`)];

// ── Boundaries ───────────────────────────────────────────────────────────────────────────────
// Each folder of src/core is an element typed by its tier (eslint.tiers.js); the files directly
// in src/core are the `app` tier; the Electron shell, the renderer and the CLI are elements of
// their own. boundaries/dependencies refuses every import between elements that a policy
// below does not allow: type-only imports, `export … from` and import() count like imports.

const CORE = /** @type {string[]} */ ([...TIER_ORDER]);
const SHELL = ['main', 'preload', 'renderer', 'cli'];
/** @param {string | string[]} type */
const element = (type) => ({ element: { type } });

const boundaryElements = [
  ...Object.entries(CORE_FOLDER_TIERS).flatMap(([tier, folders]) =>
    folders.map((folder) => ({ type: tier, pattern: `src/core/${folder}`, partialMatch: false })),
  ),
  // A folder of src/core that is in no tier yet: everything it imports, and every import of it,
  // is refused until it is added to eslint.tiers.js.
  { type: 'unassigned', pattern: 'src/core/*', partialMatch: false, capture: ['folder'] },
  // Last of the core: what no folder above claimed is a file directly in src/core.
  { type: 'app', pattern: 'src/core', partialMatch: false },
  ...SHELL.map((type) => ({ type, pattern: `src/${type}`, partialMatch: false })),
];

const tiersAbove = (/** @type {(typeof TIER_ORDER)[number]} */ tier) =>
  TIER_ORDER.slice(TIER_ORDER.indexOf(tier) + 1);

/** @type {import('eslint-plugin-boundaries').DependenciesPolicy[]} */
const boundaryPolicies = [
  // a. A tier imports from its own tier and the tiers below it, never from one above.
  ...TIER_ORDER.map((tier) => ({ from: element(tier), allow: { to: element(tiersVisibleFrom(tier)) } })),
  ...TIER_ORDER.filter((tier) => tiersAbove(tier).length > 0).map((tier) => ({
    from: element(tier),
    disallow: { to: element(tiersAbove(tier)) },
    message:
      `src/core tiers import only downward (${TIER_ORDER.join(' < ')}): this file is in the ` +
      `${tier} tier and '{{dependency.source}}' is in the {{to.element.type}} tier above it. ` +
      `Move the piece both need down to the ${tier} tier (or lower), or pass it in from above.`,
  })),
  // b. A feature reaches another feature only through that feature's public index.ts.
  {
    from: element('features'),
    disallow: { to: { element: { type: 'features', fileInternalPath: '!index.ts' } } },
    message:
      `'{{dependency.source}}' is inside another feature. Import that feature through its ` +
      `public index.ts ('../<feature>'), exporting what you need from there, or move the ` +
      `shared piece down to the records tier.`,
  },
  // An unassigned folder of src/core, either side of an import.
  {
    from: element('unassigned'),
    disallow: { to: element([...CORE, 'unassigned', ...SHELL]) },
    message:
      `src/core/{{from.element.captured.folder}} is in no tier: add '{{from.element.captured.folder}}' ` +
      `to its tier in eslint.tiers.js.`,
  },
  {
    disallow: { to: element('unassigned') },
    message:
      `src/core/{{to.element.captured.folder}} is in no tier: add '{{to.element.captured.folder}}' ` +
      `to its tier in eslint.tiers.js.`,
  },
  // c. The core is the product: it imports nothing of the Electron shell, the renderer or the CLI.
  {
    from: element([...CORE, 'unassigned']),
    disallow: { to: element(SHELL) },
    message:
      `src/core must not import src/{{to.element.type}} ('{{dependency.source}}'): the core is ` +
      `plain Node that the app, the CLI and the tests all run. Move the piece into src/core, ` +
      `or have src/{{to.element.type}} pass it in.`,
  },
  // The Electron main process and the CLI are hosts of the core: they may import all of it.
  { from: element(['main', 'cli']), allow: { to: element(CORE) } },
  // d. The renderer imports from src/core only types, and only from the API contract.
  {
    from: element('renderer'),
    disallow: { to: element([...CORE, 'unassigned']) },
    message:
      `The renderer imports from src/core only types of the API contract: ` +
      `import type { … } from '…/core/api'. Values reach the renderer through the API client; ` +
      `a type the renderer needs belongs in src/core/api.`,
  },
  {
    from: element('renderer'),
    allow: {
      to: { element: { type: 'foundation', path: '**/src/core/api' } },
      dependency: { kind: ['type', 'typeof'] },
    },
  },
  {
    from: element('renderer'),
    disallow: { to: element(['main', 'preload', 'cli']) },
    message:
      `The renderer must not import src/{{to.element.type}}: it reaches the main process only ` +
      `through the preload API (window.custodia), and the core through the API client.`,
  },
  // e. The CLI is a host of its own, beside the Electron app.
  {
    from: element('cli'),
    disallow: { to: element(['main', 'preload', 'renderer']) },
    message:
      `src/cli must not import src/{{to.element.type}}: the CLI runs without Electron. ` +
      `Move what both need into src/core.`,
  },
  // f. The preload stays thin.
  {
    from: element('preload'),
    disallow: { to: element([...CORE, 'unassigned']) },
    message:
      `The preload stays thin: it forwards IPC and imports only 'electron', no core code ` +
      `('{{dependency.source}}'). Put the logic in src/core, reached from src/main behind an IPC call.`,
  },
  {
    from: element('preload'),
    disallow: { to: element(['main', 'renderer', 'cli']) },
    message:
      `The preload stays thin: it forwards IPC and imports only 'electron', never ` +
      `src/{{to.element.type}} code. Put the logic in src/main behind an IPC call.`,
  },
  // g. The main process does not import the renderer or the CLI.
  {
    from: element('main'),
    disallow: { to: element(['renderer', 'cli', 'preload']) },
    message:
      `src/main must not import src/{{to.element.type}}: the renderer and the preload are ` +
      `loaded by path (window.ts) and the CLI is a host of its own. Share code through src/core.`,
  },
];

// h. The ledger's raw transaction methods (transact, transactSync, transactAcrossAwaits, …).
// `(?!ion)` leaves DSCSA's own words alone: transaction, transactions, transactionId.
const TRANSACT = '/^transact(?!ion)/';
const TRANSACT_MESSAGE =
  'Write to the ledger through the workspace (src/core/ledger/workspace.ts): the one write path.';

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test/fixtures/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // CommonJS files (eslint.resolver.cjs, loaded by require() from eslint-module-utils).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The boundaries between the tiers of src/core and between core, shell, renderer and CLI.
    // Tests and benches may reach anywhere: they are not elements, so nothing here checks them.
    files: ['src/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'boundaries/root-path': import.meta.dirname,
      'boundaries/elements': boundaryElements,
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import', 'require'],
      // `typeof import('…')` in a type ties two modules together as surely as `import type`.
      'boundaries/additional-dependency-nodes': [
        { selector: 'TSImportType > Literal', kind: 'type', name: 'import-type' },
      ],
      'boundaries/legacy-templates': false,
      'import/resolver': { [path.join(import.meta.dirname, 'eslint.resolver.cjs')]: {} },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        { default: 'disallow', checkUnknownLocals: true, policies: boundaryPolicies },
      ],
    },
  },
  {
    // h. One write path into the ledger: only src/core/ledger calls its raw transaction methods.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/core/ledger/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `MemberExpression[property.name=${TRANSACT}]`, message: TRANSACT_MESSAGE },
        { selector: `MemberExpression[property.value=${TRANSACT}]`, message: TRANSACT_MESSAGE },
        { selector: `ObjectPattern > Property[key.name=${TRANSACT}]`, message: TRANSACT_MESSAGE },
      ],
    },
  },
  {
    // The core is the product: plain Node, testable without Electron, React or a DOM.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*'],
              message: 'src/core must not import Electron: the core is plain Node (src/main hosts it).',
            },
            {
              group: ['react', 'react-dom', 'react/*', 'react-dom/*'],
              message: 'src/core must not import React: the UI lives in src/renderer.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage'],
    },
  },
  {
    // The renderer talks only to the API client: no Node, no Electron, core only as API types
    // (boundaries/dependencies above holds the core, main and CLI side).
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/set-state-in-effect': 'off',
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltinPaths.map((name) => ({
            name,
            message: 'No Node modules in the renderer: ask the main process through the API client.',
          })),
          patterns: [
            {
              group: nodeBuiltinPatterns,
              message: 'No Node modules in the renderer: ask the main process through the API client.',
            },
            {
              group: ['electron', 'electron/*'],
              message: 'The renderer reaches Electron only through the preload API.',
            },
          ],
        },
      ],
    },
  },
  {
    // The preload stays thin: 'electron' and nothing of Node (boundaries/dependencies above keeps
    // core, main, renderer and CLI code out of it).
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltinPaths.map((name) => ({
            name,
            message: 'The preload imports no Node modules: do the work in src/main behind an IPC call.',
          })),
          patterns: [
            {
              group: nodeBuiltinPatterns,
              message: 'The preload imports no Node modules: do the work in src/main behind an IPC call.',
            },
          ],
        },
      ],
    },
  },
);
