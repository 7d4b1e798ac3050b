import type { Contract, OutputOf } from '../../core/api';

type LedgerInfo = OutputOf<Contract['system.info']>['ledger'];

/**
 * On every page while an integrity alarm stands (issue 17): nothing can be recorded until a
 * backup is restored or two people accept the loss; the core's message says which and why.
 */
export function AlarmBanner({ ledger }: { ledger?: LedgerInfo }) {
  if (ledger === undefined || (ledger.state !== 'alarm' && ledger.state !== 'unavailable')) return null;
  return (
    <div className="notice notice-error alarm-banner" role="alert" data-testid="ledger-alarm-banner">
      <strong>
        {ledger.state === 'alarm'
          ? 'Custodia has stopped recording: the ledger is read-only.'
          : 'The ledger cannot be opened.'}
      </strong>{' '}
      {ledger.message}
    </div>
  );
}
