import { ApiError } from '../../core/api/errors';
import { resolveQuery, type TraceResult } from '../../core/trace/query';
import { dataOption, UsageError, type Command } from '../command';
import { callAs, PASSWORD_HINT } from '../person';

function print(r: TraceResult, out: (s: string) => void): void {
  if (!r.found) {
    out(`Nothing recorded for ${r.kind === 'tlc' ? 'traceability lot code' : r.kind} ${r.query}.`);
    return;
  }
  out(`${r.kind.toUpperCase()} ${r.identifier}`);
  if (r.product !== null)
    out(
      `Product: ${[r.product.name, r.product.strength, r.product.dosageForm].filter(Boolean).join(' ')} GTIN ${r.product.gtin}${r.product.ndc ? ` NDC ${r.product.ndc}` : ''}${r.product.lot ? ` lot ${r.product.lot}` : ''}`,
    );
  if (r.state !== null)
    out(
      `State: ${r.state.state}${r.state.disposition ? ` (${r.state.disposition})` : ''}${r.state.location ? ` at ${r.state.location}` : ''}${r.state.suspect ? ', SUSPECT' : ''}${r.state.quarantined ? ', QUARANTINED' : ''}`,
    );
  if (r.lot !== null) out(`Lot: ${r.lot.serials} serialized packages known`);
  if (r.history.length > 0) out('History:');
  for (const h of r.history) {
    out(
      `  ${h.time}  ${(h.bizStep ?? h.type).padEnd(14)} ${h.role.padEnd(13)} ${h.location ?? ''}${h.source ? ` from ${h.source}` : ''}${h.destination ? ` to ${h.destination}` : ''}  [ledger ${h.ledgerSeq}, ${h.file}]${h.declaredError ? ` ERROR DECLARED: ${h.declaredError}` : ''}${h.pending ? ' (pending)' : ''}`,
    );
  }
  if (r.containers.length > 0) out(`Inside: ${r.containers.join(' < ')}`);
  const tree = (nodes: TraceResult['contents'], depth: number) => {
    for (const n of nodes) {
      out(`${'  '.repeat(depth)}- ${n.identifier} (${n.state})`);
      tree(n.children, depth + 1);
    }
  };
  if (r.contents.length > 0) {
    out('Contents:');
    tree(r.contents, 1);
  }
  for (const t of r.transactions) {
    out(
      `Transaction ${t.reference ?? t.id}: ${t.sellerName ?? t.seller ?? '?'} -> ${t.shipToName ?? t.shipTo ?? '?'} on ${t.transactionDate ?? '?'}; statement ${t.statement ? `received${t.statementText ? `: "${t.statementText}"` : ''}` : 'MISSING'}`,
    );
  }
  for (const p of r.partners)
    out(
      `Partner ${p.gln}: ${p.name ?? 'unknown'}${p.authorized === true ? ' (authorized)' : p.authorized === false ? ' (NOT authorized)' : ''}`,
    );
  if (r.fsma !== null) {
    for (const f of r.fsma.records)
      out(
        `FSMA ${f.cte} ${f.date ?? ''}: ${f.product ?? ''} ${f.quantity ?? ''} ${f.fromName ? `from ${f.fromName}` : ''} ${f.toName ? `to ${f.toName}` : ''}`,
      );
    for (const b of r.fsma.back) out(`One step back: ${b}`);
    for (const f of r.fsma.forward) out(`One step forward: ${f}`);
  }
}

/** `custodia trace ID`: a serial, SSCC, GTIN + lot or FSMA traceability lot code. */
export const traceCommand: Command = {
  name: 'trace',
  summary:
    'Show the history of a serial, SSCC, GTIN + lot or FSMA traceability lot code (events, containment, partners, transaction data)',
  usage: `trace ID --user NAME [--data DIR] [--json]   (ID: scan text, "(01)…(21)…", Digital Link, EPC URN, "GTIN + LOT" or a TLC; ${PASSWORD_HINT})`,
  options: { ...dataOption, json: { type: 'boolean' } },
  positionals: [1, 1],
  // Serials in clear: through trace.lookup itself, so the same permission and the same access entry.
  access: { kind: 'person', permission: 'ledger.read', procedure: 'trace.lookup' },
  checkArgs(args) {
    // A mistyped identifier is named before anyone is asked for a password.
    try {
      resolveQuery(args.positionals[0]!);
    } catch (error) {
      if (error instanceof ApiError) throw new UsageError(error.message, 1);
      throw error;
    }
  },
  async run(args, io, caller) {
    const result = await callAs<TraceResult>(args, caller, 'trace.lookup', { query: args.positionals[0]! });
    if (args.values.json === true) io.out(JSON.stringify(result, null, 2));
    else print(result, (s) => io.out(s));
    return result.found ? 0 : 1;
  },
};
