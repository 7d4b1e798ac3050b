/**
 * Ledger entry types in plain words, and the categories a person filters by. A type not listed
 * here shows as it is (a newer area's entries before this list learns them).
 */
export const ENTRY_WORDS: Record<string, string> = {
  'ledger.genesis': 'Ledger started',
  'ledger.heartbeat': 'Ledger checkpoint (heartbeat)',
  'ledger.key-rotation': 'Signing key replaced',
  'ledger.alarms-acknowledged': 'Integrity alarm acknowledged',
  'ledger.rollback-detected': 'Ledger rolled back: detected',
  'ledger.checkpoint-copy-missing': 'Checkpoint copy missing',
  'registrant.recorded': 'Pharmacy details recorded',
  'settings.changed': 'Settings changed',
  'users.created': 'Person added',
  'users.updated': 'Person changed',
  'users.password-set': 'Password set',
  'users.account-unlocked': 'Account unlocked',
  'auth.signed-in': 'Signed in',
  'auth.signed-out': 'Signed out',
  'auth.sign-in-failed': 'Sign-in refused',
  'auth.account-locked': 'Account locked after wrong passwords',
  'auth.session-locked': 'Workstation locked',
  'auth.session-unlocked': 'Workstation unlocked',
  'auth.refused': 'Refused: not allowed or wrong signature',
  'access.refused': 'Refused',
  'keys.recovery-kit-made': 'Recovery kit made',
  'partners.saved': 'Trading partner saved',
  'partners.mapping-saved': 'Column mapping saved',
  'ingest.file': 'Partner file imported',
  'ingest.event': 'EPCIS event recorded',
  'ingest.transaction': 'Transaction information recorded',
  'ingest.fsma-record': 'FSMA 204 record recorded',
  'ingest.error-declaration': 'Event declared in error',
  'ingest.pending-resolved': 'Waiting event placed',
  'ingest.cancelled': 'Import cancelled',
  'quarantine.opened': 'Put in quarantine',
  'quarantine.closed': 'Quarantine closed',
  'quarantine.reprocessed': 'Quarantined file tried again',
  'quarantine.reprocess-failed': 'Quarantined file tried again: still refused',
  'receiving.session-opened': 'Receiving started',
  'receiving.accepted': 'Package received',
  'receiving.exception-opened': 'Receiving exception opened',
  'receiving.exception-resolved': 'Receiving exception resolved',
  'receiving.session-closed': 'Receiving finished',
  'investigation.opened': 'Suspect product quarantined',
  'investigation.findings-recorded': 'Investigation findings recorded',
  'investigation.closed': 'Investigation outcome signed',
  'receiving.refused': 'Refused: receiving or investigation (not found, already done or wrong signature)',
  'form3911.recorded': 'Form FDA 3911 sent',
  'form3911.incident-number': 'FDA incident number recorded',
  'products.added': 'Product added',
  'products.imported': 'Products imported',
  'inventory.record': 'Controlled-substance transaction',
  'inventory.correct': 'Controlled-substance correction',
  'approvals.reject': 'Schedule II transaction rejected',
  'counts.write': 'Count recorded',
  'requests.recorded': 'Records request received',
  'requests.answered': 'Records request answered',
  'requests.deadline-agreed': 'Request deadline agreed',
  'requests.withdrawn': 'Records request withdrawn',
  'audit.exported': 'Audit bundle exported',
  'orders.recorded': 'Schedule II order recorded',
  'orders.filled': 'Schedule II order filled',
  'disposals.destruction-recorded': 'Destruction recorded',
  'sync.delivered': 'Sent to a partner',
  'sync.dead-lettered': 'Partner sync failed',
};

/** An entry type as a person reads it: its words, else its area and action. */
export function entryWords(type: string): string {
  return ENTRY_WORDS[type] ?? type.replace('.', ': ').replace(/-/g, ' ');
}

/** The filter's categories: each a set of type prefixes ("inventory." = every inventory entry). */
export const ENTRY_CATEGORIES: Record<string, { label: string; prefixes: string[] }> = {
  receiving: {
    label: 'Receiving and suspect product',
    prefixes: ['receiving.', 'investigation.', 'form3911.'],
  },
  inventory: {
    label: 'Inventory (controlled substances, counts, products)',
    prefixes: ['inventory.', 'counts.', 'approvals.', 'products.', 'orders.', 'disposals.', 'arcos.'],
  },
  imports: { label: 'Imports and quarantine', prefixes: ['ingest.', 'quarantine.', 'partners.', 'sync.'] },
  people: { label: 'People and sign-ins', prefixes: ['users.', 'auth.', 'access.'] },
  keys: { label: 'Keys and ledger integrity', prefixes: ['keys.', 'ledger.'] },
  requests: { label: 'Records requests, reports and exports', prefixes: ['requests.', 'reports.', 'audit.'] },
  settings: { label: 'Pharmacy details and settings', prefixes: ['registrant.', 'settings.'] },
};
