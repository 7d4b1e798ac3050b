import type { Migration } from './migration';
import { migration as m0005 } from './0005-installation';
import { migration as m0010 } from './0010-ledger';

export type { Migration } from './migration';
export { runMigrations, schemaVersions, type MigrationResult } from './runner';

/** Every schema migration, in order. Add a file `NNNN-name.ts` and one import + one entry here. */
export const migrations: readonly Migration[] = [m0005, m0010];
