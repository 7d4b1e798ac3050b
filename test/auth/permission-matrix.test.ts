import { describe, expect, it } from 'vitest';
import { contract } from '../../src/core/api';
import type { Permission, Role } from '../../src/core/api/permissions';
import { PERMISSIONS, ROLES } from '../../src/core/api/permissions';
import type { Principal } from '../../src/core/api/principal';
import { Router, type Handler } from '../../src/core/api/router';
import type { ProcedureSpec } from '../../src/core/api/contract';

/**
 * The role table of issue 6, written out independently of permissions.ts: who may do what.
 * A new permission fails this test until someone decides here who gets it.
 */
const EXPECTED: Record<Permission, readonly Role[] | 'everyone'> = {
  public: 'everyone',
  'auth.session': ROLES,
  'ledger.read': ROLES,
  'inventory.read': ROLES,
  'users.read': ROLES,
  'ledger.verify': ['pharmacist', 'compliance-officer', 'auditor', 'administrator'],
  'audit.export': ['compliance-officer', 'auditor'],
  // Reports for the FDA, the state or a partner: pharmacists, compliance officers and auditors; not technicians.
  'reports.generate': ['pharmacist', 'compliance-officer', 'auditor'],
  'import.write': ['technician', 'pharmacist', 'compliance-officer'],
  'receiving.write': ['technician', 'pharmacist'],
  // FDA and partner records requests: the people who answer them, not the technician at the scanner.
  'requests.write': ['pharmacist', 'compliance-officer'],
  'inventory.write': ['technician', 'pharmacist', 'compliance-officer'],
  'inventory.approve': ['pharmacist', 'compliance-officer'],
  'counts.write': ['technician', 'pharmacist', 'compliance-officer'],
  'products.manage': ['pharmacist', 'compliance-officer', 'administrator'],
  'users.manage': ['administrator'],
  'settings.manage': ['administrator'],
};

/** Permissions that change nothing: all an auditor may hold besides exporting audit bundles and reports. */
const READ_ONLY = new Set<Permission>([
  'public',
  'auth.session',
  'ledger.read',
  'inventory.read',
  'users.read',
  'ledger.verify',
  'audit.export',
  // A report changes nothing but the ledger entry that records it, like an audit export.
  'reports.generate',
]);

const person = (roles: Role[]): Principal => ({
  userId: `u-${roles.join('+')}`,
  username: 'x',
  displayName: 'X',
  roles,
});

// Every handler records that it ran and returns nothing valid: the matrix is about getting in.
const ran: string[] = [];
const handlers = Object.fromEntries(
  Object.keys(contract).map((method) => [
    method,
    (() => void ran.push(method)) as unknown as Handler<ProcedureSpec>,
  ]),
) as never;
const router = new Router(contract, handlers, { error() {} });

const callers: [string, Principal | null][] = [
  ['no one signed in', null],
  ...ROLES.map((role): [string, Principal] => [role, person([role])]),
  ['administrator + pharmacist', person(['administrator', 'pharmacist'])],
];

describe('permission matrix: every procedure x every role, through the router', () => {
  it('declares only permissions the role table knows', () => {
    for (const [method, spec] of Object.entries(contract)) {
      expect(PERMISSIONS, method).toContain(spec.permission);
      expect(EXPECTED, `${method} uses ${spec.permission}, which the matrix has no row for`).toHaveProperty(
        spec.permission,
      );
    }
  });

  it('allows exactly the expected callers and refuses the rest before the handler runs', async () => {
    let allowed = 0;
    let refused = 0;
    for (const [method, spec] of Object.entries(contract)) {
      for (const [who, principal] of callers) {
        ran.length = 0;
        const result = await router.call({ transport: 'http', principal, emit: () => {} }, method, {});
        const rule = EXPECTED[spec.permission];
        const shouldPass =
          rule === 'everyone' ||
          (principal !== null && principal.roles.some((role) => (rule as readonly Role[]).includes(role)));
        if (shouldPass) {
          expect(result.ok ? 'ok' : result.error.code, `${who} -> ${method}`).not.toMatch(
            /^(unauthenticated|forbidden)$/,
          );
          allowed++;
        } else {
          expect(result.ok, `${who} -> ${method}`).toBe(false);
          if (!result.ok)
            expect(result.error.code, `${who} -> ${method}`).toBe(
              principal === null ? 'unauthenticated' : 'forbidden',
            );
          expect(ran, `${who} -> ${method}: the handler must not run`).toEqual([]);
          refused++;
        }
      }
    }
    const procedures = Object.keys(contract).length;
    console.log(
      `permission matrix: ${procedures} procedures x ${callers.length} callers: ${allowed} allowed, ${refused} refused`,
    );
    expect(allowed + refused).toBe(procedures * callers.length);
  });

  it('keeps the auditor read-only (plus audit export) and the administrator out of approvals', () => {
    for (const [method, spec] of Object.entries(contract)) {
      const rule = EXPECTED[spec.permission];
      const auditorMay = rule === 'everyone' || (rule as readonly Role[]).includes('auditor');
      if (auditorMay) expect(READ_ONLY.has(spec.permission), `auditor may call ${method}`).toBe(true);
    }
    expect(EXPECTED['inventory.approve']).not.toContain('administrator');
    for (const method of [
      'approvals.approve',
      'approvals.reject',
      'counts.signOff',
      'counts.sealInventory',
    ]) {
      expect(contract[method as keyof typeof contract].permission).toBe('inventory.approve');
    }
    // A Form FDA 3911 sent, or the incident number FDA gave back, is signed off like an outcome.
    for (const method of ['receiving.recordNotification', 'receiving.recordIncidentNumber']) {
      expect(contract[method as keyof typeof contract].permission).toBe('inventory.approve');
    }
    for (const method of [
      'requests.record',
      'requests.agreeDeadline',
      'requests.answer',
      'requests.withdraw',
    ]) {
      expect(contract[method as keyof typeof contract].permission).toBe('requests.write');
    }
  });
});
