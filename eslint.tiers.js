// @ts-check
// The tiers of src/core, lowest first. Each tier imports only from its own tier and the tiers
// below it; eslint.config.js builds its boundary rules from this map, and
// test/architecture/tiers.test.ts checks that every folder of src/core sits in exactly one tier.
//
// A new folder of src/core is one line here: add its name to the list of its tier.
// The files directly in src/core (app.ts, projections.ts, …) are the top tier, `app`: composition.

/** @type {Readonly<Record<'foundation' | 'storage' | 'records' | 'features', readonly string[]>>} */
export const CORE_FOLDER_TIERS = {
  // Plain building blocks with no state: the API contract, identifiers, EPCIS, the platform seam.
  foundation: ['platform', 'api', 'identifiers', 'epcis'],
  // The database, the secrets and keys, sealing, the installation and the ledger (the one write path).
  storage: ['store', 'secrets', 'keys', 'sealing', 'installation', 'ledger'],
  // The record model and what reads it: file formats, the registrant, rules, trace.
  records: ['model', 'formats', 'registrant', 'rules', 'trace', 'calendar'],
  // What a user does. A feature reaches another feature only through that feature's index.ts.
  features: [
    'auth',
    'users',
    'setup',
    'products',
    'inventory',
    'orders',
    'counts',
    'approvals',
    'disposals',
    'partners',
    'sync',
    'quarantine',
    'ingest',
    'folders',
    'receiving',
    'requests',
    'system',
    'reports',
    'arcos',
    'demo',
  ],
};

/** The tiers in order, lowest first; `app` is the files directly in src/core. */
export const TIER_ORDER = /** @type {const} */ (['foundation', 'storage', 'records', 'features', 'app']);

/** @typedef {(typeof TIER_ORDER)[number]} Tier */

/**
 * The tier of a folder directly under src/core, or undefined when it is in none.
 * @param {string} folder
 * @returns {Tier | undefined}
 */
export function tierOfFolder(folder) {
  for (const [tier, folders] of Object.entries(CORE_FOLDER_TIERS)) {
    if (folders.includes(folder)) return /** @type {Tier} */ (tier);
  }
  return undefined;
}

/**
 * The tiers a module of `tier` may import from: its own and every tier below it.
 * @param {Tier} tier
 * @returns {Tier[]}
 */
export function tiersVisibleFrom(tier) {
  return TIER_ORDER.slice(0, TIER_ORDER.indexOf(tier) + 1);
}
