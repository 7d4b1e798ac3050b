import { canonicalize } from '../ledger/jcs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { Registrant, Settings } from '../api/procedures/setup';
import type { Entry } from '../ledger/workspace';

export const DEFAULT_SETTINGS: Settings = {
  idleLockMinutes: 5,
  lockoutMaxFailures: 5,
  lockoutWindowMinutes: 15,
  lockoutMinutes: 15,
  // Schedule II: ±0.1% (issue 6). The others start at the same strict value until a pharmacy
  // decides otherwise; no federal figure exists for what variance is "significant".
  varianceThresholdPercent: { CI: 0.1, CII: 0.1, CIII: 0.1, CIV: 0.1, CV: 0.1 },
  // Six months: a common wholesaler returns threshold; each pharmacy sets its own.
  shortDatedDays: 180,
  receivingSound: true,
};

export function readRegistrant(db: Database): Registrant | null {
  const row = db.prepare('SELECT record FROM registrant WHERE id = 1').get() as
    { record: string } | undefined;
  return row ? (JSON.parse(row.record) as Registrant) : null;
}

export function readSettings(db: Database): Settings {
  const row = db.prepare('SELECT record FROM settings WHERE id = 1').get() as { record: string } | undefined;
  return row ? { ...DEFAULT_SETTINGS, ...(JSON.parse(row.record) as Partial<Settings>) } : DEFAULT_SETTINGS;
}

export function projectRegistrant(db: Database, entry: Entry): void {
  if (entry.type === 'registrant.recorded') {
    db.prepare(
      `INSERT INTO registrant (id, record, seq) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET record = excluded.record, seq = excluded.seq`,
    ).run(canonicalize(entry.payload.registrant), entry.seq);
  } else if (entry.type === 'settings.changed') {
    db.prepare(
      `INSERT INTO settings (id, record, seq) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET record = excluded.record, seq = excluded.seq`,
    ).run(canonicalize(entry.payload.settings), entry.seq);
  }
}
