// Builds the `custodia` command (package.json "bin") into out/cli/: src/cli/index.ts bundled with
// esbuild (which vite and tsx bring) into one JavaScript file, so the command runs without tsx.
// Native modules stay external (they load their compiled .node files from node_modules), and the
// import's reading thread is its own file beside it (src/core/ingest/read-thread.ts looks there).
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'out', 'cli');
const external = ['better-sqlite3-multiple-ciphers', 'keytar', 'electron', 'esbuild', 'tsx'];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external,
  logLevel: 'warning',
  legalComments: 'none',
};

fs.rmSync(outDir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [path.join(root, 'src/cli/index.ts')],
  outfile: path.join(outDir, 'index.js'),
  format: 'esm',
  // Bundled CommonJS packages call require(): give the ES module one.
  banner: {
    js: "import { createRequire as __custodiaRequire } from 'node:module';\nconst require = __custodiaRequire(import.meta.url);",
  },
});
await build({
  ...common,
  entryPoints: [path.join(root, 'src/core/ingest/read-worker.ts')],
  outfile: path.join(outDir, 'read-worker.cjs'),
  format: 'cjs',
});
fs.writeFileSync(path.join(outDir, 'package.json'), JSON.stringify({ type: 'module' }) + '\n');
fs.chmodSync(path.join(outDir, 'index.js'), 0o755);
