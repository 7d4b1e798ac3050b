import fs from 'node:fs';
import path from 'node:path';
import { parseVerifierKey, verifyBundleFile } from '../../core/ledger/audit-verify';
import { UsageError, type Command } from '../command';
import { verdictExit } from './ledger-common';

/**
 * `custodia audit verify`: the auditor's side. No data folder, no keychain: trust comes only from
 * --trusted-key and --checkpoint. Prints consistent / inconsistent / unknown as the last line;
 * exit 0 only for consistent (1 inconsistent, 3 unknown, 2 bad arguments).
 */
export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary: 'Verify an audit bundle offline against a trusted key (and checkpoints obtained earlier)',
  usage:
    'audit verify FILE --trusted-key PUBKEY [--trusted-key PUBKEY ...] [--checkpoint FILE ...]\n' +
    '       audit verify --batch --trusted-key PUBKEY ... < paths   (one JSON line per file; exit 0 only if all are consistent)',
  options: {
    'trusted-key': { type: 'string', multiple: true },
    checkpoint: { type: 'string', multiple: true },
    batch: { type: 'boolean' },
  },
  access: { kind: 'none' },
  positionals: [0, 1],
  async run(args, io) {
    const batch = args.values.batch === true;
    if (batch === (args.positionals.length === 1))
      throw new UsageError('give one FILE, or --batch with the paths on standard input');
    const keys = (args.values['trusted-key'] as string[] | undefined) ?? [];
    if (keys.length === 0)
      throw new UsageError('give the pharmacy\'s key with --trusted-key (from "custodia keys public")');
    const trustedKeys = keys.map((k) => {
      try {
        return parseVerifierKey(k);
      } catch (error) {
        throw new UsageError(
          `--trusted-key ${k.slice(0, 40)}… is not a verifier key: ${(error as Error).message}`,
        );
      }
    });
    const externalCheckpoints = ((args.values.checkpoint as string[] | undefined) ?? []).map((p) => ({
      name: path.basename(p),
      text: readText(p),
    }));
    if (batch) {
      // Many files in one process (issue 17: every byte of a bundle flipped, checked in seconds).
      let all = true;
      for (const file of (await io.readStdin()).split('\n').filter((l) => l.length > 0)) {
        let line: Record<string, unknown>;
        try {
          const { verdict, notes } = await verifyBundleFile(file, { trustedKeys, externalCheckpoints });
          line = {
            file,
            status: verdict.status,
            message: verdict.message,
            first_bad: verdict.status === 'inconsistent' ? verdict.firstBadSeq : null,
            notes,
          };
        } catch (error) {
          line = {
            file,
            status: 'unreadable',
            message: (error as Error).message,
            first_bad: null,
            notes: [],
          };
        }
        if (line.status !== 'consistent') all = false;
        io.out(JSON.stringify(line));
      }
      return all ? 0 : 1;
    }
    const file = args.positionals[0]!;
    // Read in blocks as it is checked: a bundle of a million records need not fit in memory.
    let report;
    try {
      report = await verifyBundleFile(file, {
        trustedKeys,
        externalCheckpoints,
        onProgress: (done, total) => {
          if (done === total || done % (1 << 18) === 0) io.err(`checked ${done} of ${total} records`);
        },
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === undefined) throw error;
      throw new UsageError(`cannot read ${file} (${code})`);
    }
    for (const note of report.notes) io.out(`note: ${note}`);
    io.out(report.verdict.message);
    return verdictExit(report.verdict.status);
  },
};

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  } catch (error) {
    throw new UsageError(
      `cannot read the checkpoint file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}
