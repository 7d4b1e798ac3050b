import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../api/errors';
import { AuthService, hasUsers } from '../auth';
import { importFile } from '../ingest';
import { openLedger, workspaceFor } from '../ledger/open';
import type { ProjectionSet, Workspace } from '../ledger/workspace';
import { saveMapping, savePartner } from '../partners';
import { readRegistrant, readSettings } from '../registrant/registrant';
import { UserService } from '../users';
import { readInstallationFile } from '../installation/installation-file';
import { createKeytarSecretStore } from '../secrets/keytar-store';
import { RECOVERABLE_SECRET_NAMES } from '../secrets/names';
import { scopeSecretStore } from '../secrets/scoped-store';
import type { SecretStore } from '../secrets/secret-store';
import type { DemoResources } from './resources';

export const DEMO_ACTOR = 'demo-loader';

export interface DemoFileResult {
  readonly name: string;
  readonly status: string;
  /** The rules a quarantined file broke (it is in the month on purpose: a suspect serial). */
  readonly rules: readonly string[];
}

export interface DemoLoadResult {
  readonly people: number;
  readonly partners: number;
  readonly files: readonly DemoFileResult[];
}

/**
 * Loads the demo month into an empty ledger: the registrant (marked demo), the workstation settings,
 * one person per role, the partners and saved mappings, then every partner file through the import
 * pipeline, as a pharmacy would. Refuses a ledger that already holds a registrant or people, so a
 * demo is never mixed into a real pharmacy's records.
 */
export async function loadDemo(
  ws: Workspace,
  demo: DemoResources,
  options: { onFile?: (result: DemoFileResult) => void } = {},
): Promise<DemoLoadResult> {
  if (readRegistrant(ws.db) !== null || hasUsers(ws.db)) {
    throw new ApiError(
      'conflict',
      'This ledger already has a registrant or people: the demo goes only into a folder of its own.',
      { rule: 'demo-own-folder' },
    );
  }
  const people = new UserService(new AuthService({ workspace: () => Promise.resolve(ws) }));
  for (const [i, person] of demo.people.entries()) {
    await people.create(
      'system',
      { ...person, roles: [...person.roles] },
      i === 0
        ? (tx) => {
            tx.record('registrant.recorded', 'system', { registrant: demo.registrant });
            tx.record('settings.changed', 'system', { settings: readSettings(tx.db) });
          }
        : undefined,
    );
  }
  const partnerIds = new Map<string, number>();
  for (const partner of demo.partners)
    partnerIds.set(partner.name, await savePartner(ws, partner, DEMO_ACTOR));
  const mappingIds = new Map<string, number>();
  for (const [partner, m] of Object.entries(demo.mappings)) {
    const id = partnerIds.get(partner);
    if (id !== undefined) mappingIds.set(partner, await saveMapping(ws, id, m.name, m.mapping, DEMO_ACTOR));
  }
  const files: DemoFileResult[] = [];
  for (const file of demo.files) {
    const partnerId = file.partner !== undefined ? partnerIds.get(file.partner) : undefined;
    const mappingId = file.partner !== undefined ? mappingIds.get(file.partner) : undefined;
    const result = await importFile(
      ws,
      {
        source: { path: file.path },
        name: file.name,
        origin: 'demo',
        ...(partnerId !== undefined && mappingId !== undefined ? { partnerId, mappingId } : {}),
      },
      { actor: DEMO_ACTOR },
    );
    const done = {
      name: file.name,
      status: result.status,
      rules: [...new Set(result.reasons.map((r) => r.rule))],
    };
    files.push(done);
    options.onFile?.(done);
  }
  return { people: demo.people.length, partners: demo.partners.length, files };
}

/**
 * Creates a ledger in `dataDir` (which must hold none) and loads the demo month into it. A load that
 * fails part way leaves no half demo behind: the folder is removed when this call created it.
 */
export async function createDemoLedger(
  dataDir: string,
  demo: DemoResources,
  options: {
    projections: Pick<ProjectionSet, 'project' | 'prefixes'>;
    appVersion?: string;
    secrets?: SecretStore;
    onFile?: (result: DemoFileResult) => void;
  },
): Promise<DemoLoadResult> {
  const existed = fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0;
  let opened;
  try {
    opened = await openLedger({
      dataDir,
      createIfMissing: true,
      ...(options.secrets ? { secrets: options.secrets } : {}),
      ...(options.appVersion !== undefined ? { appVersion: options.appVersion } : {}),
    });
  } catch (error) {
    if (!existed) fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  try {
    return await loadDemo(workspaceFor(opened, options.projections), demo, {
      ...(options.onFile ? { onFile: options.onFile } : {}),
    });
  } catch (error) {
    opened.close();
    if (!existed) await removeDemoFolder(dataDir, options.secrets);
    throw error;
  } finally {
    opened.close();
  }
}

/**
 * Removes a demo ledger: its keychain entries, then its folder. The caller has closed it. Only the
 * folder the app keeps its demo in is ever passed here (see workstation.ts), never a real ledger.
 */
export async function removeDemoFolder(dataDir: string, secrets?: SecretStore): Promise<void> {
  let file;
  try {
    file = readInstallationFile(dataDir);
  } catch {
    file = undefined; // a damaged installation.json: its keys cannot be named, the folder still goes
  }
  if (file !== undefined) {
    const store = secrets
      ? scopeSecretStore(secrets, file.installId)
      : createKeytarSecretStore(file.installId);
    for (const name of new Set([...RECOVERABLE_SECRET_NAMES, ...file.secretNames])) {
      await store.delete(name).catch(() => undefined);
    }
  }
  if (!fs.existsSync(dataDir)) return;
  // A keyring the command line keeps for this folder (no desktop session) stays: it is running.
  for (const name of fs.readdirSync(dataDir)) {
    if (name !== 'keyring') fs.rmSync(path.join(dataDir, name), { recursive: true, force: true });
  }
  if (fs.readdirSync(dataDir).length === 0) fs.rmdirSync(dataDir);
}
