import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceFor } from '../../src/core/ledger/open';
import { projections } from '../../src/core/projections';
import { events as ev } from '../support/synthetic';
import { openLedger } from '../../src/core/ledger/open';
import { verifyLedger } from '../../src/core/ledger/verify';
import { fileKeychain } from './file-keychain';
import { tempDir } from './helpers';
import { doc, item, MFG, t } from './world';

const CHILD = path.join(import.meta.dirname, 'children', 'import-child.ts');
const EVENTS = 12_000;

/** Runs the child and kills it with SIGKILL `delayMs` after it reports `phase` (or lets it finish). */
function runAndKill(
  args: string[],
  phase: 'reading' | 'committing',
  delayMs: number,
): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let armed = false;
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!armed && output.includes(`${phase} `)) {
        armed = true;
        setTimeout(() => {
          killed = child.kill('SIGKILL');
        }, delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ killed: killed && signal === 'SIGKILL', output }));
  });
}

describe('crash safety of an import', () => {
  it('SIGKILL in the middle of a large import: the ledger verifies and the file is fully imported or not at all', async () => {
    const dataDir = tempDir();
    const keychainFile = path.join(tempDir(), 'keychain.json');
    fs.writeFileSync(keychainFile, '{}');
    (await openLedger({ dataDir, secrets: fileKeychain(keychainFile), createIfMissing: true })).close();
    const bigFile = path.join(tempDir(), 'big.xml');
    fs.writeFileSync(
      bigFile,
      doc(
        Array.from({ length: EVENTS }, (_, i) =>
          ev.commission([item(i)], { time: t(0), location: MFG, lot: 'L1', expiry: '2028-01-31' }),
        ),
      ),
    );
    const plans: ['reading' | 'committing', number][] = [
      ['reading', 200],
      ['committing', 150],
      ['committing', 900],
      // And one left alone: the same file then imports completely after the crashes.
      ['committing', 600_000],
    ];
    const outcomes: string[] = [];
    for (const [phase, delay] of plans) {
      const run = await runAndKill([dataDir, keychainFile, bigFile], phase, delay);
      if (delay === 600_000) expect(run.output).toContain('done imported');
      const opened = await openLedger({
        dataDir,
        secrets: fileKeychain(keychainFile),
        createIfMissing: false,
      });
      try {
        const verdict = await verifyLedger(opened.ledger);
        expect(verdict.status, `${verdict.message}\n${run.output}`).toBe('consistent');
        const ctx = workspaceFor(opened, projections);
        const files = ctx.db.prepare('SELECT count(*) FROM ingest_files').pluck().get() as number;
        const events = ctx.db.prepare('SELECT count(*) FROM trace_events').pluck().get() as number;
        const leaves = ctx.db
          .prepare("SELECT count(*) FROM ledger_leaves WHERE type = 'ingest.event'")
          .pluck()
          .get() as number;
        expect([files, events, leaves]).toEqual(files === 0 ? [0, 0, 0] : [1, EVENTS, EVENTS]);
        outcomes.push(
          `${phase}+${delay}ms: ${run.killed ? 'killed' : 'finished'}, ${files === 0 ? 'not imported' : 'fully imported'}`,
        );
      } finally {
        opened.close();
      }
      if (outcomes.at(-1)!.includes('fully imported')) break;
    }
    console.log(`crash test: ${outcomes.join('; ')}`);
    expect(outcomes.some((o) => o.includes('killed'))).toBe(true);
  }, 240_000);
});
