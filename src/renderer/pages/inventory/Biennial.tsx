import type { ColumnDef } from '@tanstack/react-table';
import { useEffect, useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import { useClient, useQuery } from '../../api/context';
import { splitError } from '../../forms/errors';
import { qty } from '../../forms/format';
import { today } from '../../forms/identifiers';
import { can } from '../../session/roles';
import { useSession } from '../../session/SessionProvider';
import { Button } from '../../ui/Button';
import { CheckboxField, Field, Row, SelectField } from '../../ui/Form';
import { Notice } from '../../ui/Notice';
import { SignatureDialog } from '../../ui/SignatureDialog';
import { QueryTable } from '../../ui/QueryTable';
import { useToast } from '../../ui/Toasts';
import { NextDue } from './NextDue';

type Balance = OutputOf<Contract['inventory.balances']>['balances'][number];
type Sealed = OutputOf<Contract['counts.inventories']>['inventories'][number];
type Measure = 'exact' | 'estimated';

interface Line {
  balance: Balance;
  fullContainers: string;
  opened: { quantity: string; measure: Measure }[];
}

/**
 * 21 CFR 1304.11(e): Schedule I/II opened containers are counted exactly; Schedule III–V may
 * be estimated unless the container holds more than 1,000 tablets or capsules. Mirrors
 * src/core/counts/inventory-rules.ts for the screen; the core refuses a line that breaks it.
 */
function exactRequired(b: Balance): boolean {
  if (b.schedule === 'CI' || b.schedule === 'CII') return true;
  return /tablet|capsule|caplet/i.test(b.unit) && b.packageSize !== null && b.packageSize > 1000;
}

function lineTotal(line: Line): number {
  const full = Number(line.fullContainers) || 0;
  return (
    (line.balance.packageSize ?? 0) * full + line.opened.reduce((s, o) => s + (Number(o.quantity) || 0), 0)
  );
}

/** The initial or biennial inventory: a guided count of every controlled product, sealed as one ledger entry. */
export function Biennial() {
  const client = useClient();
  const session = useSession();
  const toast = useToast();
  const inventories = useQuery('counts.inventories', {});
  const due = useQuery('counts.nextDue', {});
  const balances = useQuery('inventory.balances', {});
  const users = useQuery('users.list', {});
  const [counting, setCounting] = useState(false);
  const [kind, setKind] = useState<'initial' | 'biennial'>('biennial');
  const [date, setDate] = useState(today());
  const [timing, setTiming] = useState<'opening' | 'close'>('close');
  const [time, setTime] = useState('18:00');
  const [countedBy, setCountedBy] = useState<string[]>([]);
  /** Each counter other than the person sealing signs with their own password. */
  const [counterPasswords, setCounterPasswords] = useState<Record<string, string>>({});
  const [lines, setLines] = useState<Line[]>([]);
  const [signing, setSigning] = useState(false);
  const me = session.principal;

  useEffect(() => {
    if (due.status === 'ok') setKind(due.data.state === 'initial-missing' ? 'initial' : 'biennial');
  }, [due.status, due.data?.state]);

  const start = () => {
    if (balances.status !== 'ok') return;
    setLines(balances.data.balances.map((balance) => ({ balance, fullContainers: '', opened: [] })));
    setCountedBy(me ? [me.username] : []);
    setCounting(true);
  };

  const update = (i: number, next: Partial<Line>) =>
    setLines((all) => all.map((l, j) => (j === i ? { ...l, ...next } : l)));

  const seal = async (password: string) => {
    try {
      const sealed = await client.call('counts.sealInventory', {
        kind,
        date,
        timing,
        time,
        countedBy: countedBy.map((username) =>
          username === me?.username ? { username } : { username, password: counterPasswords[username] ?? '' },
        ),
        lines: lines.map((l) => ({
          ndc: l.balance.ndc,
          fullContainers: Number(l.fullContainers) || 0,
          opened: l.opened.map((o) => ({ quantity: Number(o.quantity) || 0, measure: o.measure })),
        })),
        password,
      });
      setSigning(false);
      setCounting(false);
      toast(
        'success',
        `The ${sealed.kind} inventory of ${sealed.date} is sealed as ledger entry ${sealed.ledgerSeq}.`,
      );
      inventories.reload();
      due.reload();
    } catch (failure) {
      throw splitError(failure).general ?? failure;
    }
  };

  const sealedColumns: ColumnDef<Sealed, unknown>[] = [
    { header: 'Kind', accessorKey: 'kind' },
    { header: 'Date', accessorKey: 'date' },
    {
      header: 'Taken at',
      id: 'timing',
      accessorFn: (s) => `${s.timing === 'opening' ? 'opening' : 'close'} of business, ${s.time}`,
    },
    { header: 'Lines', id: 'lines', accessorFn: (s) => s.lines.length },
    { header: 'Counted by', id: 'countedBy', accessorFn: (s) => s.countedBy.join(', ') },
    { header: 'Sealed by', id: 'sealedBy', accessorFn: (s) => s.signature.printedName },
    { header: 'Ledger #', accessorKey: 'ledgerSeq' },
  ];

  return (
    <>
      <NextDue query={due} />
      {!counting ? (
        <div className="toolbar">
          {can.approve(me) ? (
            <Button variant="primary" onClick={start} disabled={balances.status !== 'ok'}>
              Start the {kind} inventory count
            </Button>
          ) : (
            <p className="field-hint">A pharmacist or compliance officer takes and seals the inventory.</p>
          )}
        </div>
      ) : (
        <section className="panel" aria-labelledby="guided-count">
          <h2 id="guided-count">{kind === 'initial' ? 'Initial' : 'Biennial'} inventory</h2>
          <Row>
            <SelectField
              label="Kind"
              value={kind}
              onChange={(e) => setKind(e.target.value as 'initial' | 'biennial')}
            >
              <option value="initial">Initial inventory</option>
              <option value="biennial">Biennial inventory</option>
            </SelectField>
            <Field label="Date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
            <SelectField
              label="Taken at"
              value={timing}
              onChange={(e) => setTiming(e.target.value as 'opening' | 'close')}
              hint="21 CFR 1304.11(a): say whether it was taken at the opening or the close of business."
            >
              <option value="opening">Opening of business</option>
              <option value="close">Close of business</option>
            </SelectField>
            <Field label="Time" type="time" value={time} onChange={(e) => setTime(e.target.value)} />
          </Row>
          <fieldset className="group">
            <legend>Who counted</legend>
            {users.status === 'ok'
              ? users.data.users
                  .filter((u) => u.active && !(u.roles.length === 1 && u.roles[0] === 'auditor'))
                  .map((u) => (
                    <CheckboxField
                      key={u.userId}
                      label={`${u.displayName} (${u.username})`}
                      checked={countedBy.includes(u.username)}
                      onChange={(e) =>
                        setCountedBy((all) =>
                          e.target.checked ? [...all, u.username] : all.filter((n) => n !== u.username),
                        )
                      }
                    />
                  ))
              : null}
            {countedBy
              .filter((username) => username !== me?.username)
              .map((username) => (
                <Field
                  key={username}
                  label={`${username}: password, to sign as a counter`}
                  type="password"
                  autoComplete="off"
                  value={counterPasswords[username] ?? ''}
                  onChange={(e) => setCounterPasswords((all) => ({ ...all, [username]: e.target.value }))}
                />
              ))}
          </fieldset>
          {lines.length === 0 ? (
            <Notice kind="info" title="No controlled products have stock records yet.">
              The inventory is sealed with no lines: a record that nothing was on hand (21 CFR 1304.11(b)).
            </Notice>
          ) : null}
          <table className="table count-table">
            <caption className="visually-hidden">Count sheet</caption>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Full containers</th>
                <th scope="col">Opened containers</th>
                <th scope="col">Total</th>
                <th scope="col">Perpetual</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line, i) => {
                const b = line.balance;
                const exact = exactRequired(b);
                const total = lineTotal(line);
                return (
                  <tr key={b.ndc} data-testid={`count-line-${b.ndc}`}>
                    <td>
                      <strong>{b.name}</strong> {b.strength} {b.dosageForm}
                      <div className="mono">{b.ndc}</div>
                      <small>
                        {b.schedule} ·{' '}
                        {b.packageSize
                          ? `${qty(b.packageSize, b.unit)} per container`
                          : 'package size unknown'}
                        {' · '}
                        {exact
                          ? b.schedule === 'CII' || b.schedule === 'CI'
                            ? 'exact count (Schedule II)'
                            : 'exact count (container holds more than 1,000)'
                          : 'opened containers may be estimated'}
                      </small>
                    </td>
                    <td>
                      <input
                        aria-label={`Full containers of ${b.ndc}`}
                        type="number"
                        min={0}
                        step={1}
                        value={line.fullContainers}
                        onChange={(e) => update(i, { fullContainers: e.target.value })}
                      />
                    </td>
                    <td>
                      {line.opened.map((o, k) => (
                        <div key={k} className="opened">
                          <input
                            aria-label={`Opened container ${k + 1} of ${b.ndc}: quantity`}
                            type="number"
                            min={0}
                            step="any"
                            value={o.quantity}
                            onChange={(e) =>
                              update(i, {
                                opened: line.opened.map((x, j) =>
                                  j === k ? { ...x, quantity: e.target.value } : x,
                                ),
                              })
                            }
                          />
                          <select
                            aria-label={`Opened container ${k + 1} of ${b.ndc}: exact or estimated`}
                            value={exact ? 'exact' : o.measure}
                            disabled={exact}
                            onChange={(e) =>
                              update(i, {
                                opened: line.opened.map((x, j) =>
                                  j === k ? { ...x, measure: e.target.value as Measure } : x,
                                ),
                              })
                            }
                          >
                            <option value="exact">exact</option>
                            <option value="estimated">estimated</option>
                          </select>
                          <Button
                            variant="ghost"
                            onClick={() => update(i, { opened: line.opened.filter((_, j) => j !== k) })}
                          >
                            Remove
                          </Button>
                        </div>
                      ))}
                      <Button
                        variant="ghost"
                        onClick={() =>
                          update(i, {
                            opened: [
                              ...line.opened,
                              { quantity: '', measure: exact ? 'exact' : 'estimated' },
                            ],
                          })
                        }
                      >
                        Add opened container
                      </Button>
                    </td>
                    <td>{qty(total, b.unit)}</td>
                    <td className={Math.abs(total - b.onHand) < 0.0005 ? 'result-ok' : 'result-bad'}>
                      {qty(b.onHand)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div className="form-actions">
            <Button
              variant="primary"
              disabled={
                countedBy.length === 0 ||
                countedBy.some((u) => u !== me?.username && !(counterPasswords[u] ?? ''))
              }
              onClick={() => setSigning(true)}
            >
              Review and seal…
            </Button>
            <Button variant="ghost" onClick={() => setCounting(false)}>
              Cancel
            </Button>
          </div>
        </section>
      )}

      <h2>Sealed inventories</h2>
      <QueryTable
        query={inventories}
        rows={(data) => data.inventories}
        caption="Sealed inventories"
        columns={sealedColumns}
        empty="No inventory sealed yet."
      />

      <SignatureDialog
        open={signing}
        title="Seal the inventory"
        meaning="sealed"
        printedName={me?.displayName ?? ''}
        confirmLabel="Sign and seal"
        subject={
          <p>
            {kind === 'initial' ? 'Initial' : 'Biennial'} inventory of {date},{' '}
            {timing === 'opening' ? 'opening' : 'close'} of business at {time}: {lines.length} line(s),
            counted by {countedBy.join(', ')}. Once sealed it is one ledger entry and cannot be changed.
          </p>
        }
        onSign={seal}
        onClose={() => setSigning(false)}
      />
    </>
  );
}
