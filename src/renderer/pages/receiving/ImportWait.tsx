import { useEffect, useState } from 'react';
import type { Contract, OutputOf } from '../../../core/api';
import { useClient } from '../../api/context';
import { Notice } from '../../ui/Notice';

type Running = OutputOf<Contract['ingest.running']>['imports'][number];

/** "about 1 min 20 s", "about 40 s": how long a person should expect to stand at the bench. */
export function aboutSeconds(seconds: number): string {
  if (seconds < 60) return `about ${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 || minutes >= 10 ? `about ${minutes} min` : `about ${minutes} min ${rest} s`;
}

/**
 * Shown while a scan waits to be recorded: a partner file imports as one transaction (all or
 * nothing), so a person's write goes ahead when that file commits. Says which file, how far it has
 * come and about how long is left, asked again every second (ingest.running answers at once).
 */
export function ImportWait() {
  const client = useClient();
  const [running, setRunning] = useState<Running | null>(null);
  useEffect(() => {
    let stopped = false;
    // One question at a time: over the headless host a slow answer must not pile up requests on
    // the browser's few connections to it.
    let asking = false;
    const ask = async () => {
      if (asking) return;
      asking = true;
      try {
        const { imports } = await client.call('ingest.running', {});
        if (!stopped) setRunning(imports[0] ?? null);
      } catch {
        // The generic words below stay; the scan itself reports any real failure.
      } finally {
        asking = false;
      }
    };
    void ask();
    const timer = setInterval(() => void ask(), 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [client]);

  const left = running?.secondsLeft ?? null;
  return (
    <Notice kind="info" title="Waiting to record this scan" testId="scan-waiting">
      {running === null ? (
        <>Another change is being written to the ledger; the scan is recorded as soon as it is in.</>
      ) : (
        <>
          <strong>{running.file}</strong>{' '}
          {running.phase === 'committing'
            ? `is being committed (${running.records.toLocaleString('en-US')} events checked)`
            : `is being imported: ${running.records.toLocaleString('en-US')} events checked${
                running.size > 0
                  ? `, ${Math.floor((100 * running.bytesRead) / running.size)}% of the file`
                  : ''
              }`}
          .{' '}
          {left === null
            ? 'Working out how long it takes.'
            : `The scan is recorded in ${aboutSeconds(left)}.`}{' '}
          A partner file goes into the ledger whole or not at all, so the scan waits for it to finish.
        </>
      )}{' '}
      Keep the package at hand; the verdict shows here then.
    </Notice>
  );
}
