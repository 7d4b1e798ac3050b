import { useEffect } from 'react';
import { useQuery } from '../api/context';

/** Told by the Partners page after a person's own change, sync or test there. */
export const PARTNERS_CHANGED = 'custodia-partners-changed';

/**
 * Partner sync in the status bar: not configured, keeping up, or what needs a person (a failing
 * partner, dead letters, a certificate or licence about to expire). Asked again when the person
 * moves between pages, never by a timer: a call counts as activity, and an unattended workstation
 * must still lock itself while the background pulls go on.
 */
export function SyncStatus() {
  const overview = useQuery('sync.overview', {});
  const { reload } = overview;
  useEffect(() => {
    window.addEventListener('hashchange', reload);
    window.addEventListener(PARTNERS_CHANGED, reload);
    return () => {
      window.removeEventListener('hashchange', reload);
      window.removeEventListener(PARTNERS_CHANGED, reload);
    };
  }, [reload]);
  if (overview.status !== 'ok') return <>Partner sync</>;
  const partners = overview.data.partners;
  if (partners.length === 0) return <>Partner sync: not configured</>;
  const failing = partners.filter((p) => p.status === 'failing' || p.status === 'open-circuit').length;
  const dead = partners.reduce((n, p) => n + p.dead, 0);
  const warnings = partners.reduce((n, p) => n + p.warnings.length, 0);
  const problems = [
    failing > 0 ? `${failing} partner${failing === 1 ? '' : 's'} failing` : '',
    dead > 0 ? `${dead} dead letter${dead === 1 ? '' : 's'}` : '',
    warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'}` : '',
  ].filter((s) => s !== '');
  return (
    <a href="#/partners" className={problems.length > 0 ? 'status-alarm' : undefined}>
      Partner sync:{' '}
      {problems.length > 0
        ? problems.join(', ')
        : `${partners.length} partner${partners.length === 1 ? '' : 's'} up to date`}
    </a>
  );
}
