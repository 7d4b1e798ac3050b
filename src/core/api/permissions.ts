/**
 * Permissions that procedures declare. 'public' needs no signed-in person (health, sign-in
 * itself, first-run setup, which refuses once done); everything else is granted by roles, and
 * the router checks it on every call before the input is even parsed.
 */
export const PERMISSIONS = [
  'public',
  'auth.session', // any signed-in person: lock, change own password, read workstation settings
  'ledger.read',
  'ledger.verify',
  'audit.export',
  'reports.generate', // generate FDA/DSCSA/DEA reports (each generation is a ledger entry)
  'import.write',
  'receiving.write',
  'requests.write', // record FDA and partner records requests, agreed deadlines and the reports sent
  'inventory.read', // inventory, products, approvals queue, counts, registrant
  'inventory.write', // record controlled-substance transactions and corrections
  'inventory.approve', // second-person approval, discrepancy sign-off, Form 106 escalation, sealing inventories
  'counts.write', // record counts and explain discrepancies
  'products.manage',
  'users.read',
  'users.manage',
  'settings.manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['technician', 'pharmacist', 'compliance-officer', 'auditor', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

/** What every signed-in person may read. */
const READ: Permission[] = ['auth.session', 'ledger.read', 'inventory.read', 'users.read'];

/**
 * What each role may do (issue 6). Auditors read everything and export audit bundles, nothing
 * else. Administrators manage people, settings and the product master, but approve nothing:
 * a person who must also approve is given the pharmacist role as well. Roles add up.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  technician: [...READ, 'import.write', 'receiving.write', 'inventory.write', 'counts.write'],
  pharmacist: [
    ...READ,
    'ledger.verify',
    'reports.generate',
    'import.write',
    'receiving.write',
    'inventory.write',
    'inventory.approve',
    'counts.write',
    'products.manage',
    'requests.write',
  ],
  'compliance-officer': [
    ...READ,
    'ledger.verify',
    'reports.generate',
    'audit.export',
    'import.write',
    'requests.write',
    'inventory.write',
    'inventory.approve',
    'counts.write',
    'products.manage',
  ],
  auditor: [...READ, 'ledger.verify', 'audit.export', 'reports.generate'],
  administrator: [...READ, 'ledger.verify', 'users.manage', 'settings.manage', 'products.manage'],
};

export function rolesGrant(roles: readonly Role[], permission: Permission): boolean {
  return permission === 'public' || roles.some((role) => ROLE_PERMISSIONS[role].includes(permission));
}
