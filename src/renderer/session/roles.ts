import type { Contract, OutputOf } from '../../core/api';

export type Principal = OutputOf<Contract['auth.signIn']>['principal'];
export type Role = Principal['roles'][number];

export const ROLE_LABEL: Record<Role, string> = {
  technician: 'Technician',
  pharmacist: 'Pharmacist',
  'compliance-officer': 'Compliance officer',
  auditor: 'Auditor',
  administrator: 'Administrator',
};

export const ROLE_SUMMARY: Record<Role, string> = {
  technician: 'records transactions and counts; cannot approve',
  pharmacist: 'records, approves Schedule II, signs off counts, manages products',
  'compliance-officer': 'approves, signs off, exports audit bundles',
  auditor: 'reads everything, exports audit bundles, changes nothing',
  administrator: 'manages people and settings; approves nothing unless also a pharmacist',
};

/**
 * What the screen offers a person. These mirror ROLE_PERMISSIONS in src/core/api/permissions.ts
 * for display only: the router checks every call, so a button shown by mistake is still refused.
 */
const has = (p: Principal | null | undefined, roles: Role[]) => !!p && p.roles.some((r) => roles.includes(r));
export const can = {
  recordInventory: (p?: Principal | null) => has(p, ['technician', 'pharmacist', 'compliance-officer']),
  approve: (p?: Principal | null) => has(p, ['pharmacist', 'compliance-officer']),
  count: (p?: Principal | null) => has(p, ['technician', 'pharmacist', 'compliance-officer']),
  manageProducts: (p?: Principal | null) => has(p, ['pharmacist', 'compliance-officer', 'administrator']),
  manageUsers: (p?: Principal | null) => has(p, ['administrator']),
  manageSettings: (p?: Principal | null) => has(p, ['administrator']),
};
