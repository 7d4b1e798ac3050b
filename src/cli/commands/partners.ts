import fs from 'node:fs';
import { ApiError } from '../../core/api/errors';
import { parseReceivingScan } from '../../core/receiving';
import {
  findPartnerByName,
  requestVerification,
  saveEndpoint,
  syncOverview,
  testConnection,
} from '../../core/sync';
import { dataOption, stringOption, UsageError, type Command } from '../command';
import { personOf, PASSWORD_HINT } from '../person';
import { partnerSecret, withSyncDeps } from './sync-common';

const AUTH_KINDS = ['none', 'bearer', 'basic', 'oauth2'] as const;

function readPem(file: string | undefined, what: string): string | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`${what} ${file} cannot be read: check the name and that it is yours to read.`);
  }
  if (!text.includes('-----BEGIN ')) throw new UsageError(`${what} ${file} is not a PEM file.`);
  return text;
}

const apiCall = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ApiError) throw new UsageError(error.message, 1);
    throw error;
  }
};

/** `custodia partners add NAME --gln GLN …`: a trading partner with its sync endpoints. */
export const partnersAddCommand: Command = {
  name: 'partners add',
  summary:
    'Add or change a trading partner with its EPCIS and verification endpoints (secret from stdin or CUSTODIA_PARTNER_SECRET)',
  usage: `partners add NAME --gln GLN [--epcis-url URL] [--verify-url URL] [--auth none|bearer|basic|oauth2] [--token-url URL] [--client-id ID] [--ca FILE] [--client-cert FILE --client-key FILE] [--authorized --licence TEXT [--licence-checked WHERE] [--licence-expires YYYY-MM-DD]] [--role wholesaler|manufacturer|…] --data DIR --user NAME (${PASSWORD_HINT})`,
  options: {
    ...dataOption,
    gln: { type: 'string', multiple: true },
    'epcis-url': { type: 'string' },
    'verify-url': { type: 'string' },
    auth: { type: 'string' },
    'token-url': { type: 'string' },
    'client-id': { type: 'string' },
    ca: { type: 'string' },
    pin: { type: 'string' },
    'client-cert': { type: 'string' },
    'client-key': { type: 'string' },
    authorized: { type: 'boolean' },
    licence: { type: 'string' },
    'licence-checked': { type: 'string' },
    'licence-expires': { type: 'string' },
    role: { type: 'string' },
    'per-page': { type: 'string' },
  },
  positionals: [1, 1],
  access: { kind: 'person', permission: 'import.write', procedure: 'partners.save' },
  checkArgs(args) {
    const auth = stringOption(args, 'auth') ?? 'none';
    if (!(AUTH_KINDS as readonly string[]).includes(auth))
      throw new UsageError(`--auth is one of ${AUTH_KINDS.join(', ')}`);
    const glns = (args.values.gln as string[] | undefined) ?? [];
    if (glns.length === 0)
      throw new UsageError("--gln GLN is required (the partner's GLN; repeat it for more)");
    if (
      (stringOption(args, 'client-cert') === undefined) !==
      (stringOption(args, 'client-key') === undefined)
    )
      throw new UsageError('--client-cert and --client-key go together');
  },
  async run(args, io, caller) {
    const { actor } = personOf(caller);
    const auth = (stringOption(args, 'auth') ?? 'none') as (typeof AUTH_KINDS)[number];
    const secret = auth === 'none' ? undefined : await partnerSecret(io);
    if (auth !== 'none' && secret === undefined)
      throw new UsageError(
        `--auth ${auth} needs the partner's secret: pipe it on stdin or set CUSTODIA_PARTNER_SECRET`,
      );
    const caPem = readPem(stringOption(args, 'ca'), 'the CA file');
    const clientCertPem = readPem(stringOption(args, 'client-cert'), 'the client certificate');
    const clientKey = readPem(stringOption(args, 'client-key'), 'the client key');
    const perPage = stringOption(args, 'per-page');
    const id = await withSyncDeps(args, io, (deps) =>
      apiCall(() =>
        saveEndpoint(
          deps,
          {
            name: args.positionals[0]!,
            glns: args.values.gln as string[],
            role: (stringOption(args, 'role') ?? 'wholesaler') as never,
            authorized: args.values.authorized === true,
            auth,
            ...(stringOption(args, 'epcis-url') !== undefined
              ? { epcisUrl: stringOption(args, 'epcis-url')! }
              : {}),
            ...(stringOption(args, 'verify-url') !== undefined
              ? { verifyUrl: stringOption(args, 'verify-url')! }
              : {}),
            ...(stringOption(args, 'token-url') !== undefined
              ? { tokenUrl: stringOption(args, 'token-url')! }
              : {}),
            ...(stringOption(args, 'client-id') !== undefined
              ? { clientId: stringOption(args, 'client-id')! }
              : {}),
            ...(stringOption(args, 'pin') !== undefined ? { pinnedSha256: stringOption(args, 'pin')! } : {}),
            ...(caPem !== undefined ? { caPem } : {}),
            ...(clientCertPem !== undefined ? { clientCertPem } : {}),
            ...(stringOption(args, 'licence') !== undefined
              ? { licence: stringOption(args, 'licence')! }
              : {}),
            ...(stringOption(args, 'licence-checked') !== undefined
              ? { licenceChecked: stringOption(args, 'licence-checked')! }
              : {}),
            ...(stringOption(args, 'licence-expires') !== undefined
              ? { licenceExpires: stringOption(args, 'licence-expires')! }
              : {}),
            ...(perPage !== undefined && /^\d+$/.test(perPage) ? { perPage: Number(perPage) } : {}),
          },
          { ...(secret !== undefined ? { secret } : {}), ...(clientKey !== undefined ? { clientKey } : {}) },
          actor,
        ),
      ),
    );
    io.out(
      `Saved trading partner ${args.positionals[0]} (id ${id}); its credentials are in this computer's keychain.`,
    );
    return 0;
  },
};

export const partnersListCommand: Command = {
  name: 'partners list',
  summary:
    'Trading partners with sync settings: endpoints, connection state, certificate, items waiting and dead letters',
  usage: 'partners list [--json] --data DIR',
  options: { ...dataOption, json: { type: 'boolean' } },
  access: { kind: 'machine-owner' },
  async run(args, io) {
    const views = await withSyncDeps(args, io, async (deps) => syncOverview(deps.ws));
    if (args.values.json === true) io.out(JSON.stringify(views, null, 2));
    else if (views.length === 0) io.out('No trading partner has sync settings yet (custodia partners add).');
    else
      for (const v of views) {
        io.out(
          `${v.name} (id ${v.partnerId}, GLN ${v.glns.join(', ')}): ${v.state.status}, ${v.state.message} Last pull ${v.state.lastSuccessMs !== null ? new Date(v.state.lastSuccessMs).toISOString() : 'never'}; ${v.waiting} waiting, ${v.failed} failed, ${v.dead} dead letter(s).`,
        );
        for (const w of v.warnings) io.out(`  ! ${w}`);
      }
    return 0;
  },
};

export const partnersTestCommand: Command = {
  name: 'partners test',
  summary:
    "Test a partner's connection: TLS, certificate, EPCIS and CBV versions, OPTIONS /capture, LMS connectivity",
  usage: 'partners test NAME [--json] --data DIR',
  options: { ...dataOption, json: { type: 'boolean' } },
  positionals: [1, 1],
  access: { kind: 'machine-owner' },
  async run(args, io) {
    const report = await withSyncDeps(args, io, (deps) =>
      apiCall(() => testConnection(deps, findPartnerByName(deps.ws, args.positionals[0]!).partnerId)),
    );
    if (args.values.json === true) io.out(JSON.stringify(report, null, 2));
    else {
      if (report.tls !== null)
        io.out(
          `TLS ${report.tls.protocol ?? '?'}; certificate ${report.tls.subject ?? '?'} issued by ${report.tls.issuer ?? '?'}, valid until ${report.tls.validToMs !== null ? new Date(report.tls.validToMs).toISOString().slice(0, 10) : '?'}`,
        );
      for (const c of report.checks) io.out(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
    }
    return report.ok ? 0 : 1;
  },
};

/** `custodia partners verify PARTNER SCAN`: the package's product identifier asked of the manufacturer (LMS). */
export const partnersVerifyCommand: Command = {
  name: 'partners verify',
  summary:
    'Verify a scanned package with the manufacturer (GS1 Lightweight Messaging): saleable return or suspect product',
  usage: `partners verify PARTNER SCAN [--suspect] [--json] --data DIR --user NAME   (SCAN: barcode text, element string or Digital Link; ${PASSWORD_HINT})`,
  options: { ...dataOption, json: { type: 'boolean' }, suspect: { type: 'boolean' } },
  positionals: [2, 2],
  access: { kind: 'person', permission: 'import.write', procedure: 'sync.verify' },
  checkArgs(args) {
    const scan = parseReceivingScan(args.positionals[1]!);
    if (!scan.ok) throw new UsageError(scan.message, 1);
    const v = scan.value;
    if (v.gtin === undefined || v.serial === undefined || v.lot === undefined || v.expiry === undefined)
      throw new UsageError(
        'verification needs the full product identifier: GTIN (01), serial (21), lot (10) and expiry (17)',
        1,
      );
  },
  async run(args, io, caller) {
    const { actor } = personOf(caller);
    const v = (parseReceivingScan(args.positionals[1]!) as { ok: true; value: Record<string, string> }).value;
    const view = await withSyncDeps(args, io, (deps) =>
      apiCall(() =>
        requestVerification(deps, {
          partnerId: findPartnerByName(deps.ws, args.positionals[0]!).partnerId,
          gtin: v.gtin!,
          lot: v.lot!,
          expiry: v.expiry!,
          serial: v.serial!,
          context: args.values.suspect === true ? 'dscsaSuspectProduct' : 'dscsaSaleableReturn',
          actor,
          budgetMs: 10_000,
        }),
      ),
    );
    if (args.values.json === true) io.out(JSON.stringify(view, null, 2));
    else
      io.out(
        view.status === 'verified'
          ? `VERIFIED by ${view.responderGln ?? 'the manufacturer'}: GTIN ${view.gtin} lot ${view.lot}${view.additionalInfo ? ` (${view.additionalInfo})` : ''}.`
          : view.status === 'not-verified'
            ? `NOT VERIFIED: ${view.failureReason}${view.additionalInfo ? ` (${view.additionalInfo})` : ''}. Do not resell; quarantine the package.`
            : `No answer yet from the manufacturer (request ${view.corrUuid}); it is asked again in the background. Treat the package as not verified until then.`,
      );
    return view.status === 'verified' ? 0 : view.status === 'not-verified' ? 1 : 3;
  },
};
