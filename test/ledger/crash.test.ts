import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { expect, it } from 'vitest';
import { openLedger } from '../../src/core/ledger/open';
import { verifyLedger } from '../../src/core/ledger/verify';
import { createFileSecretStore } from './file-secret-store';
import { tempDir } from './helpers';

const KILLS = 50;

/** Starts the child, waits until it appends, kills it with SIGKILL at a random moment; returns the committed seqs it reported. */
function runAndKill(script: string, dataDir: string, secretsFile: string, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dataDir, secretsFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    let maxSeq = -1;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line === 'ready') setTimeout(() => child.kill('SIGKILL'), delayMs);
        else maxSeq = Math.max(maxSeq, Number(line));
      }
    });
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL'
        ? resolve(maxSeq)
        : reject(new Error(`child exited by itself: ${stderr.slice(0, 500)}`)),
    );
  });
}

it(`loses no committed entry when the writer is killed with SIGKILL ${KILLS} times`, async () => {
  const dir = tempDir('custodia-crash-');
  // Bundled once so each child starts in a fraction of a second instead of through tsx.
  // Inside the project so the child resolves node_modules (SQLCipher) like the app does.
  const script = path.join(
    __dirname,
    '../../node_modules/.cache/custodia-ledger-crash',
    `child-${process.pid}.mjs`,
  );
  buildSync({
    entryPoints: [path.join(__dirname, 'crash-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: script,
    external: ['better-sqlite3-multiple-ciphers', 'keytar'],
    banner: {
      js: "import { createRequire as __custodiaRequire } from 'node:module'; const require = __custodiaRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });
  const dataDir = path.join(dir, 'data');
  const secretsFile = path.join(dir, 'secrets.json');
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let promised = -1;
  let reopened = 0;
  for (let round = 0; round < KILLS; round++) {
    const reported = await runAndKill(script, dataDir, secretsFile, Math.floor(20 + random() * 180));
    promised = Math.max(promised, reported);
    const opened = await openLedger({
      dataDir,
      secrets: createFileSecretStore(secretsFile),
      createIfMissing: false,
    });
    try {
      expect(opened.ledger.alarms(), `round ${round}`).toEqual([]);
      expect(opened.ledger.blocked, `round ${round}`).toBeNull();
      expect(opened.ledger.size, `round ${round}: committed seq ${promised} must survive`).toBeGreaterThan(
        promised,
      );
      const verdict = await verifyLedger(opened.ledger, { incremental: round % 5 !== 4 });
      expect(verdict.status, `round ${round}: ${verdict.message}`).toBe('consistent');
      reopened++;
    } finally {
      opened.close();
    }
  }
  console.log(
    `crash rounds: ${reopened}/${KILLS} reopened consistent; last committed seq reported ${promised}`,
  );
  expect(promised).toBeGreaterThan(KILLS);
}, 120_000);
