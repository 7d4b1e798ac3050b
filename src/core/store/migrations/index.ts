import type { Migration } from './migration';
import { migration as m0005 } from './0005-installation';
import { migration as m0010 } from './0010-ledger';
import { migration as m0100 } from './0100-people';
import { migration as m0110 } from './0110-products';
import { migration as m0120 } from './0120-inventory';
import { migration as m0200 } from './0200-ingest';
import { migration as m0210 } from './0210-quarantine';
import { migration as m0220 } from './0220-receiving';
import { migration as m0230 } from './0230-watched-folders';
import { migration as m0250 } from './0250-records-requests';
import { migration as m0260 } from './0260-form3911';
import { migration as m0270 } from './0270-dea-orders';
import { migration as m0280 } from './0280-disposals';
import { migration as m0290 } from './0290-arcos';
import { migration as m0300 } from './0300-partner-sync';
import { migration as m0330 } from './0330-investigation-findings';
import { migration as m0340 } from './0340-import-indexes';

export type { Migration } from './migration';
export { runMigrations, schemaVersions, type MigrationResult } from './runner';

/**
 * Every schema migration, in order. Add a file `NNNN-name.ts`, one import + one entry here, and its test:
 * `test/store/migrations/NNNN-name.test.ts` (upgradeTo(N) from the version before, with rows for N in
 * rows.ts). test/store/migrations/coverage.test.ts refuses a migration without them.
 */
export const migrations: readonly Migration[] = [
  m0005,
  m0010,
  m0100,
  m0110,
  m0120,
  m0200,
  m0210,
  m0220,
  m0230,
  m0250,
  m0260,
  m0270,
  m0280,
  m0290,
  m0300,
  m0330,
  m0340,
];
