import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../src/core/app';
import type { Result } from '../../src/core/api/errors';
import type { Principal } from '../../src/core/api/principal';
import { createLog, silentLog } from '../../src/core/platform/log';

/** Cheap scrypt for tests (the production cost is checked in test/auth/password.test.ts). */
export const TEST_SCRYPT = { n: 1024, r: 8, p: 1 };

export const PASSWORDS = {
  admin: 'correct horse battery staple',
  tess: 'blue kettle morning walk',
  phil: 'quiet river copper lamp',
  cora: 'seven orange paper kites',
  ava: 'north window silver tea',
  paula: 'garden stone winter bell',
} as const;

/** A valid DEA number (check digit 3): AB1234563 from reg-formats.md §6.1. */
export const REGISTRANT = {
  name: 'Main Street Pharmacy',
  address: { line1: '1 Main Street', city: 'Springfield', state: 'IL', zip: '62701' },
  deaNumber: 'AB1234563',
  stateLicense: 'IL-054-000123',
  glns: ['0614141000005'],
  businessType: 'pharmacy' as const,
};
export const SUPPLIER = {
  name: 'Wholesale Drug Co',
  deaNumber: 'PW1234563',
  address: '1 Depot Road, Peoria, IL 61602',
};

export interface TestClock {
  now: () => number;
  advance(ms: number): void;
}

export function testClock(start = Date.parse('2026-03-02T09:00:00Z')): TestClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function makeCore(dataDir: string, clock: TestClock = testClock()): Core {
  return createCore({
    version: 'test',
    dataDir,
    log: process.env.CUSTODIA_TEST_LOG ? createLog() : silentLog,
    now: clock.now,
    scryptCost: TEST_SCRYPT,
  });
}

/** Calls through the router as a transport would, on the session named key. */
export function caller(core: Core, key: string) {
  return async (method: string, input?: unknown): Promise<Result<unknown>> => {
    const session = core.sessions.slot(key);
    return core.router.call(
      { transport: 'http', principal: session.get(), emit: () => {}, session },
      method,
      input,
    );
  };
}

export async function value<T = Record<string, unknown>>(result: Promise<Result<unknown>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(`call failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

/** Sets up the registrant, the administrator and one person per role; returns their user ids. */
export async function staffPharmacy(core: Core): Promise<Record<keyof typeof PASSWORDS, string>> {
  const admin = caller(core, 'setup-admin');
  const setup = await value<{ principal: Principal }>(
    admin('setup.initialize', {
      registrant: REGISTRANT,
      administrator: { username: 'admin', displayName: 'Ada Admin', password: PASSWORDS.admin },
    }),
  );
  const ids = { admin: setup.principal.userId } as Record<keyof typeof PASSWORDS, string>;
  const people: [keyof typeof PASSWORDS, string, string[]][] = [
    ['tess', 'Tess Technician', ['technician']],
    ['phil', 'Phil Pharmacist', ['pharmacist']],
    ['cora', 'Cora Compliance', ['compliance-officer']],
    ['ava', 'Ava Auditor', ['auditor']],
    ['paula', 'Paula Pharmacist', ['pharmacist']],
  ];
  for (const [username, displayName, roles] of people) {
    const user = await value<{ userId: string }>(
      admin('users.create', { username, displayName, roles, password: PASSWORDS[username] }),
    );
    ids[username] = user.userId;
  }
  await value(
    admin('products.add', {
      ndc: '16590-598-60',
      name: 'Kadian',
      strength: '60 mg',
      dosageForm: 'capsule, extended release',
      packageSize: 60,
      unit: 'capsule',
      schedule: 'CII',
    }),
  );
  await value(
    admin('products.add', {
      ndc: '0555-0767-02',
      name: 'Adderall',
      strength: '5 mg',
      dosageForm: 'tablet',
      packageSize: 100,
      unit: 'tablet',
      schedule: 'CII',
    }),
  );
  await value(
    admin('products.add', {
      ndc: '0093-0058-01',
      name: 'Alprazolam',
      strength: '0.5 mg',
      dosageForm: 'tablet',
      packageSize: 1000,
      unit: 'tablet',
      schedule: 'CIV',
    }),
  );
  return ids;
}

export async function signIn(core: Core, key: string, username: keyof typeof PASSWORDS) {
  const call = caller(core, key);
  await value(call('auth.signIn', { username, password: PASSWORDS[username] }));
  return call;
}

type Call = ReturnType<typeof caller>;

/** Ledger entries of the given types with their payloads, read through ledger.entries / ledger.entry. */
export async function entriesOf(
  call: Call,
  types: string[],
): Promise<{ seq: number; type: string; actor: string; payload: Record<string, unknown> }[]> {
  const page = await value<{ entries: { seq: number }[] }>(call('ledger.entries', { types, limit: 500 }));
  const out = [];
  for (const { seq } of page.entries) {
    const entry = await value<{ canonicalJson: string }>(call('ledger.entry', { seq }));
    const leaf = JSON.parse(entry.canonicalJson) as {
      seq: number;
      type: string;
      actor: string;
      payload: Record<string, unknown>;
    };
    out.push({ seq: leaf.seq, type: leaf.type, actor: leaf.actor, payload: leaf.payload });
  }
  return out.sort((a, b) => a.seq - b.seq);
}
