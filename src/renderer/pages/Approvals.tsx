import { Fragment, useState } from 'react';
import type { Contract, OutputOf } from '../../core/api';
import { useClient, useQuery } from '../api/context';
import { KIND_LABEL, formatDateTime, qty } from '../forms/format';
import { can } from '../session/roles';
import { useSession } from '../session/SessionProvider';
import { Button } from '../ui/Button';
import { TextAreaField } from '../ui/Form';
import { ErrorNotice, Notice } from '../ui/Notice';
import { SignatureDialog } from '../ui/SignatureDialog';
import { useToast } from '../ui/Toasts';
import { productLabel, useControlledProducts } from './inventory/useControlledProducts';
import { Page } from './Page';

type Transaction = OutputOf<Contract['approvals.pending']>['pending'][number];
type History = OutputOf<Contract['approvals.history']>;

/**
 * The one sentence a signer reads first (21 CFR 11.50: what the signature means, in words); the
 * details and the hash that binds them follow underneath.
 */
function inWords(tx: Transaction, verdict: 'approve' | 'reject', product?: string): string {
  const d = tx.details as Record<string, unknown>;
  const party = ((d.supplier ?? d.counterparty) as { name?: string } | undefined)?.name;
  const toOrFrom = tx.direction > 0 ? 'from' : 'to';
  const withParty = party ? ` ${toOrFrom} ${party}` : '';
  const lot = tx.lot ? `, lot ${tx.lot}` : '';
  const by = tx.signatures[0]?.printedName;
  const kind = (KIND_LABEL[tx.kind] ?? tx.kind).toLowerCase();
  return (
    `You ${verdict} the ${kind} of ${qty(tx.quantity)} of ${product ? `${product} (NDC ${tx.ndc}${lot})` : `NDC ${tx.ndc}${lot}`}` +
    `${withParty} on ${tx.date}${by ? `, recorded by ${by}` : ''}.`
  );
}

/** What an approver reads before signing: everything recorded about the transaction, in words. */
function Details({ tx, product }: { tx: Transaction; product?: string }) {
  const d = tx.details as Record<string, unknown>;
  const party = (d.supplier ?? d.counterparty) as { name?: string; deaNumber?: string } | undefined;
  const order = d.order as { kind?: string; number?: string } | undefined;
  const rows: [string, string][] = [
    ['NDC', `${tx.ndc}${tx.lot ? `, lot ${tx.lot}` : ''}`],
    ['Quantity', `${qty(tx.quantity)} ${tx.direction > 0 ? 'into' : 'out of'} stock`],
    ['Date', tx.date],
  ];
  if (product) rows.splice(1, 0, ['Product', product]);
  if (party?.name)
    rows.push([
      tx.kind === 'transfer' ? 'Other registrant' : 'Supplier',
      `${party.name} (DEA ${party.deaNumber ?? '?'})`,
    ]);
  if (typeof d.containers === 'number') rows.push(['Containers', String(d.containers)]);
  if (order?.number) rows.push([order.kind === 'csos' ? 'CSOS order' : 'DEA Form 222', order.number]);
  if (typeof d.prescriptionNumber === 'string') rows.push(['Prescription', d.prescriptionNumber]);
  if (typeof d.reason === 'string') rows.push(['Reason', d.reason]);
  if (typeof d.method === 'string') rows.push(['Method', d.method]);
  if (typeof d.note === 'string') rows.push(['Note', d.note]);
  return (
    <dl className="facts">
      {rows.map(([k, v]) => (
        <Fragment key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

/**
 * Schedule II transactions waiting for a second person. The initiator sees their own items as
 * waiting, with no Approve button; the core refuses their approval anyway (dual control).
 */
export function Approvals() {
  const client = useClient();
  const session = useSession();
  const toast = useToast();
  const pending = useQuery('approvals.pending', {});
  const history = useQuery('approvals.history', {});
  const [deciding, setDeciding] = useState<{ tx: Transaction; verdict: 'approve' | 'reject' }>();
  const [reason, setReason] = useState('');
  const products = useControlledProducts();
  const me = session.principal;
  const nameOf = (ndc: string) => {
    const p = products.find(ndc);
    return p ? productLabel(p) : undefined;
  };

  const sign = async (password: string) => {
    if (!deciding) return;
    const { tx, verdict } = deciding;
    if (verdict === 'approve') {
      await client.call('approvals.approve', { transactionId: tx.id, subjectHash: tx.subjectHash, password });
      toast(
        'success',
        `Approved: ${KIND_LABEL[tx.kind]} of ${qty(tx.quantity)} (${tx.ndc}) is posted to inventory.`,
      );
    } else {
      await client.call('approvals.reject', {
        transactionId: tx.id,
        subjectHash: tx.subjectHash,
        password,
        reason: reason.trim(),
      });
      toast(
        'success',
        `Rejected: ${KIND_LABEL[tx.kind]} of ${qty(tx.quantity)} (${tx.ndc}); nothing posted.`,
      );
    }
    setDeciding(undefined);
    pending.reload();
    history.reload();
  };

  return (
    <Page
      title="Approvals"
      intro="Every Schedule II transaction waits here for a second person. The person who recorded it can never approve it."
    >
      <div className="toolbar">
        <Button
          onClick={() => {
            pending.reload();
            history.reload();
          }}
        >
          Refresh
        </Button>
      </div>
      {pending.status === 'error' ? <ErrorNotice error={pending.error} /> : null}
      {pending.status === 'loading' ? <p>Loading…</p> : null}
      {pending.status === 'ok' && pending.data.pending.length === 0 ? (
        <Notice kind="ok" title="Nothing is waiting for approval." testId="approvals-empty" />
      ) : null}
      {pending.status === 'ok' ? (
        <ul className="cards" aria-label="Waiting for approval">
          {pending.data.pending.map((tx) => {
            const initiated = tx.signatures.find((s) => s.meaning === 'initiated');
            const mine = initiated?.userId === me?.userId;
            return (
              <li key={tx.id} className="card" data-testid="pending-item">
                <div className="card-head">
                  <strong>
                    {KIND_LABEL[tx.kind]} · {tx.schedule} · {qty(tx.quantity)}
                  </strong>
                  <span className="pill pill-wait">waiting for a second person</span>
                </div>
                <Details tx={tx} product={nameOf(tx.ndc)} />
                <small>
                  Initiated by {initiated?.printedName ?? '?'} at{' '}
                  {initiated ? formatDateTime(initiated.signedAt, 'numeric') : '?'} · ledger entry{' '}
                  {tx.ledgerSeq}
                </small>
                <div className="card-actions">
                  {mine ? (
                    <span className="field-hint" data-testid="own-item">
                      You recorded this: another pharmacist or compliance officer must approve it.
                    </span>
                  ) : can.approve(me) ? (
                    <>
                      <Button variant="primary" onClick={() => setDeciding({ tx, verdict: 'approve' })}>
                        Approve…
                      </Button>
                      <Button
                        variant="danger"
                        onClick={() => {
                          setReason('');
                          setDeciding({ tx, verdict: 'reject' });
                        }}
                      >
                        Reject…
                      </Button>
                    </>
                  ) : (
                    <span className="field-hint">A pharmacist or compliance officer approves this.</span>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
      {history.status === 'error' ? <ErrorNotice error={history.error} /> : null}
      {history.status === 'ok' ? <DecidedHistory history={history.data} nameOf={nameOf} /> : null}
      <SignatureDialog
        open={deciding !== undefined}
        title={deciding?.verdict === 'reject' ? 'Reject with your signature' : 'Approve with your signature'}
        meaning={deciding?.verdict === 'reject' ? 'rejected' : 'approved'}
        printedName={me?.displayName ?? ''}
        subjectHash={deciding?.tx.subjectHash}
        confirmLabel={deciding?.verdict === 'reject' ? 'Sign and reject' : 'Sign and approve'}
        danger={deciding?.verdict === 'reject'}
        ready={deciding?.verdict !== 'reject' || reason.trim().length >= 5}
        subject={
          deciding ? (
            <>
              <p data-testid="signing-sentence">
                {inWords(deciding.tx, deciding.verdict, nameOf(deciding.tx.ndc))}
              </p>
              <Details tx={deciding.tx} product={nameOf(deciding.tx.ndc)} />
            </>
          ) : null
        }
        onSign={sign}
        onClose={() => setDeciding(undefined)}
      >
        {deciding?.verdict === 'reject' ? (
          <TextAreaField
            label="Reason for rejecting (at least 5 characters)"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        ) : null}
      </SignatureDialog>
    </Page>
  );
}

/**
 * What was approved or rejected, newest first, each signature with the signer's printed name, meaning
 * and time; beside a signer whose password someone else reset, when and by whom (21 CFR 11.300): an
 * auditor sees whether another person could have known the password that signed.
 */
function DecidedHistory({
  history,
  nameOf,
}: {
  history: History;
  nameOf: (ndc: string) => string | undefined;
}) {
  const resets = new Map(history.passwordResets.map((r) => [r.userId, r]));
  return (
    <section aria-labelledby="approvals-history-title">
      <h2 id="approvals-history-title">Decided</h2>
      {history.decided.length === 0 ? (
        <p className="field-hint">Nothing has been approved or rejected yet.</p>
      ) : (
        <table className="table" data-testid="approvals-history">
          <caption>Approved and rejected, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Transaction</th>
              <th scope="col">Decision</th>
              <th scope="col">Signatures</th>
            </tr>
          </thead>
          <tbody>
            {history.decided.map((tx) => (
              <tr key={tx.id} data-testid="decided-item">
                <td>
                  {KIND_LABEL[tx.kind]} · {tx.schedule} · {qty(tx.quantity)}
                  <br />
                  <small>
                    {nameOf(tx.ndc) ?? tx.ndc}
                    {tx.lot ? `, lot ${tx.lot}` : ''}
                  </small>
                </td>
                <td>
                  <span className={`pill ${tx.status === 'posted' ? 'pill-ok' : 'pill-bad'}`}>
                    {tx.status === 'posted' ? 'Approved' : 'Rejected'}
                  </span>
                </td>
                <td>
                  <ul>
                    {tx.signatures.map((sig) => {
                      const reset = resets.get(sig.userId);
                      return (
                        <li key={`${sig.userId}-${sig.meaning}`}>
                          {sig.printedName} — {sig.meaning}, {formatDateTime(sig.signedAt, 'numeric')}
                          {reset ? (
                            <small className="field-hint" data-testid="password-reset">
                              {' '}
                              · password last reset by {reset.resetByName} on{' '}
                              {formatDateTime(reset.resetAt, 'numeric')}
                              {reset.changedSince
                                ? `, changed by ${sig.printedName} since`
                                : `, not yet changed by ${sig.printedName}`}
                            </small>
                          ) : null}
                        </li>
                      );
                    })}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
