/**
 * Permissions that procedures declare. 'public' needs no signed-in person (health, sign-in
 * itself); everything else is granted by roles, and the router checks it on every call.
 */
export const PERMISSIONS = [
  'public',
  'ledger.read',
  'ledger.verify',
  'audit.export',
  'import.write',
  'receiving.write',
  'inventory.read',
  'inventory.write',
  'inventory.approve',
  'users.manage',
  'settings.manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['technician', 'pharmacist', 'compliance-officer', 'auditor', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

const READ: Permission[] = ['ledger.read', 'inventory.read'];

/** What each role may do. Auditors read everything and export bundles; nobody else is implied. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  technician: [...READ, 'import.write', 'receiving.write', 'inventory.write'],
  pharmacist: [
    ...READ,
    'ledger.verify',
    'import.write',
    'receiving.write',
    'inventory.write',
    'inventory.approve',
  ],
  'compliance-officer': [
    ...READ,
    'ledger.verify',
    'audit.export',
    'import.write',
    'inventory.write',
    'inventory.approve',
  ],
  auditor: [...READ, 'ledger.verify', 'audit.export'],
  administrator: [...READ, 'ledger.verify', 'users.manage', 'settings.manage'],
};

export function rolesGrant(roles: readonly Role[], permission: Permission): boolean {
  return permission === 'public' || roles.some((role) => ROLE_PERMISSIONS[role].includes(permission));
}
