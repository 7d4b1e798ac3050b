import type { ColumnDef } from '@tanstack/react-table';
import { useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import { useClient, useQuery } from '../../api/context';
import { splitError } from '../../forms/errors';
import { today } from '../../forms/identifiers';
import { can } from '../../session/roles';
import { useSession } from '../../session/SessionProvider';
import { Button } from '../../ui/Button';
import { Field, Form, Row } from '../../ui/Form';
import { Notice } from '../../ui/Notice';
import { SignatureDialog } from '../../ui/SignatureDialog';
import { QueryTable } from '../../ui/QueryTable';
import { useToast } from '../../ui/Toasts';
import { DisposalLines, emptyLine, type LineDraft } from './DisposalLines';

type Destruction = OutputOf<Contract['disposals.recordDestruction']>;

/** The declaration each witness makes on Form 41, section D (shown before they sign). */
const DECLARATION =
  'I declare under penalty of perjury, pursuant to 18 U.S.C. 1001, that I personally witnessed the destruction of the above-described controlled substances to a non-retrievable state and that all of the above is true and correct.';

/**
 * A destruction as DEA Form 41 records it: several NDCs, each as full packages and a partial
 * count, the place and the method, and two different employees who witness it, each signing the
 * declaration with their own password (21 CFR 1304.21(e), 1317.95(d)).
 */
export function Destructions() {
  const client = useClient();
  const session = useSession();
  const toast = useToast();
  const destructions = useQuery('disposals.destructions', {});
  const [date, setDate] = useState(today());
  const [method, setMethod] = useState('');
  const [placeName, setPlaceName] = useState('');
  const [placeAddress, setPlaceAddress] = useState('');
  const [lines, setLines] = useState<LineDraft[]>([emptyLine()]);
  const [witnesses, setWitnesses] = useState([
    { username: '', password: '' },
    { username: '', password: '' },
  ]);
  const [problem, setProblem] = useState<string>();
  const [signing, setSigning] = useState(false);
  const me = session.principal;

  const check = (): string | undefined => {
    if (!method.trim()) return 'How it was destroyed (e.g. denaturing kit on site, incineration).';
    if (!placeName.trim() || !placeAddress.trim()) return 'Where it was destroyed: name and address.';
    if (lines.some((l) => !l.ndc.trim() || !(Number(l.quantity) > 0)))
      return 'Each line needs an NDC and what was destroyed.';
    if (witnesses.some((w) => !w.username.trim() || !w.password))
      return 'Two witnesses, each with their password.';
    if (witnesses[0]!.username.trim() === witnesses[1]!.username.trim())
      return 'Two different employees must witness (21 CFR 1317.95(d)).';
    return undefined;
  };

  const sign = async (password: string) => {
    try {
      const d = await client.call('disposals.recordDestruction', {
        date,
        method: method.trim(),
        place: { name: placeName.trim(), address: placeAddress.trim() },
        lines: lines.map((l) => ({
          ndc: l.ndc.trim(),
          ...(l.lot.trim() ? { batch: l.lot.trim() } : {}),
          fullPackages: Number(l.fullPackages) || 0,
          partialCount: Number(l.partialCount) || 0,
          quantity: Number(l.quantity),
        })),
        witnesses: witnesses.map((w) => ({ username: w.username.trim(), password: w.password })),
        password,
      });
      setSigning(false);
      setLines([emptyLine()]);
      setWitnesses([
        { username: '', password: '' },
        { username: '', password: '' },
      ]);
      toast('success', `Destruction of ${d.lines.length} product(s) recorded; Form 41 is under Reports.`);
      destructions.reload();
    } catch (failure) {
      const split = splitError(failure);
      setSigning(false);
      setProblem(split.general?.message ?? Object.values(split.fields)[0] ?? 'Not recorded.');
    }
  };

  const columns: ColumnDef<Destruction, unknown>[] = [
    { header: 'Date', accessorKey: 'date' },
    {
      header: 'Destroyed',
      id: 'lines',
      accessorFn: (d) => d.lines.map((l) => `${l.name} ${l.strength} × ${l.quantity} ${l.unit}`).join('; '),
    },
    { header: 'Method', accessorKey: 'method' },
    {
      header: 'Witnesses',
      id: 'witnesses',
      accessorFn: (d) => d.witnesses.map((w) => w.printedName).join(', '),
    },
    {
      header: 'Inventory',
      id: 'status',
      accessorFn: (d) =>
        d.lines.some((l) => l.status === 'pending') ? 'Schedule II waiting for approval' : 'posted',
    },
    { header: 'Form 41', id: 'id', accessorFn: (d) => d.id },
  ];

  return (
    <>
      {can.recordInventory(me) ? (
        <Form
          label="Record a destruction"
          wide
          onSubmit={() => {
            const p = check();
            setProblem(p);
            if (p === undefined) setSigning(true);
          }}
        >
          <Notice kind="info" title="DEA Form 41">
            Two employees witness the destruction until the drugs are non-retrievable and each signs the
            declaration. The Form 41 is kept here; DEA asks for it, it is not sent.
          </Notice>
          <Row>
            <Field
              label="Date destroyed"
              type="date"
              value={date}
              onChange={(e) => setDate(e.target.value)}
            />
            <Field
              label="Method of destruction"
              value={method}
              onChange={(e) => setMethod(e.target.value)}
              hint="e.g. denatured on site with a chemical kit"
            />
          </Row>
          <Row>
            <Field
              label="Location or business name"
              value={placeName}
              onChange={(e) => setPlaceName(e.target.value)}
            />
            <Field label="Address" value={placeAddress} onChange={(e) => setPlaceAddress(e.target.value)} />
          </Row>
          <DisposalLines lines={lines} onChange={setLines} packages />
          <fieldset className="group">
            <legend>Witnesses (two different employees)</legend>
            {witnesses.map((w, i) => (
              <Row key={i}>
                <Field
                  label={`${i === 0 ? 'First' : 'Second'} witness: username`}
                  value={w.username}
                  autoComplete="off"
                  onChange={(e) =>
                    setWitnesses((all) =>
                      all.map((x, j) => (j === i ? { ...x, username: e.target.value } : x)),
                    )
                  }
                />
                <Field
                  label={`${i === 0 ? 'First' : 'Second'} witness: password`}
                  type="password"
                  autoComplete="off"
                  value={w.password}
                  onChange={(e) =>
                    setWitnesses((all) =>
                      all.map((x, j) => (j === i ? { ...x, password: e.target.value } : x)),
                    )
                  }
                />
              </Row>
            ))}
            <p className="field-hint">Each witness signs: “{DECLARATION}”</p>
          </fieldset>
          {problem ? <Notice kind="error" title={problem} /> : null}
          <div className="form-actions">
            <Button variant="primary" type="submit">
              Review and sign…
            </Button>
          </div>
        </Form>
      ) : null}

      <h2>Destructions</h2>
      <QueryTable
        query={destructions}
        rows={(data) => data.destructions}
        caption="Destructions (Form 41)"
        columns={columns}
        empty="No destruction recorded."
      />

      <SignatureDialog
        open={signing}
        title="Record the destruction"
        meaning="initiated"
        printedName={me?.displayName ?? ''}
        confirmLabel="Sign and record"
        subject={
          <p>
            {lines.length} product line(s) destroyed on {date} by {method || '…'}, witnessed by{' '}
            {witnesses.map((w) => w.username).join(' and ')}.
          </p>
        }
        onSign={sign}
        onClose={() => setSigning(false)}
      />
    </>
  );
}
