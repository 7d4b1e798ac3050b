import type { Contract, OutputOf } from '../../../core/api';
import type { Query } from '../../api/context';
import { ErrorNotice, Notice } from '../../ui/Notice';

type Due = OutputOf<Contract['counts.nextDue']>;

/** When the next biennial inventory is due (21 CFR 1304.11(c)), or that the initial one is missing. */
export function NextDue({ query }: { query: Query<Due> }) {
  if (query.status === 'error') return <ErrorNotice error={query.error} />;
  if (query.status !== 'ok') return null;
  const due = query.data;
  const last = due.lastInventory
    ? `Last: ${due.lastInventory.kind} inventory of ${due.lastInventory.date}.`
    : '';
  switch (due.state) {
    case 'initial-missing':
      return (
        <Notice kind="warn" title="No initial inventory has been taken yet" testId="next-inventory">
          Take the initial inventory of every controlled substance on hand (21 CFR 1304.11(b)); biennial
          inventories follow every two years.
        </Notice>
      );
    case 'ok':
      return (
        <Notice
          kind="ok"
          title={`Next biennial inventory due by ${due.dueBy} (${due.daysLeft} days)`}
          testId="next-inventory"
        >
          {last}
        </Notice>
      );
    case 'due-soon':
      return (
        <Notice
          kind="warn"
          title={`Biennial inventory due soon: by ${due.dueBy} (${due.daysLeft} days)`}
          testId="next-inventory"
        >
          {last}
        </Notice>
      );
    case 'overdue':
      return (
        <Notice kind="error" title={`Biennial inventory overdue since ${due.dueBy}`} testId="next-inventory">
          {last} Take it now (21 CFR 1304.11(c)).
        </Notice>
      );
  }
}
