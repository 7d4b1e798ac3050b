/** The workstation's areas, in the order of a pharmacy's day. `key` is the Alt+key shortcut. */
export const AREAS = [
  { id: 'dashboard', label: 'Dashboard', key: '1' },
  { id: 'receiving', label: 'Receiving', key: '2' },
  { id: 'import', label: 'Import & Quarantine', key: '3' },
  { id: 'inventory', label: 'Inventory', key: '4' },
  { id: 'approvals', label: 'Approvals', key: '5' },
  { id: 'ledger', label: 'Ledger', key: '6' },
  { id: 'trace', label: 'Trace', key: '7' },
  { id: 'reports', label: 'Reports', key: '8' },
  { id: 'partners', label: 'Partners', key: '9' },
  { id: 'settings', label: 'Settings', key: '0' },
] as const;

export type AreaId = (typeof AREAS)[number]['id'];

export function areaFromHash(hash: string): AreaId {
  const id = hash.replace(/^#\/?/, '').split('/')[0];
  return AREAS.find((area) => area.id === id)?.id ?? 'dashboard';
}
