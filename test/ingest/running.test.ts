import { describe, expect, it } from 'vitest';
import { runningImports, trackImport } from '../../src/core/ingest/running';

/*
 * What a person whose scan waits behind an import is told (ingest.running, the scan station): the
 * file, how far it has come and how long is left, from the rate so far plus the commit.
 */
describe('an import in progress, as a waiting person is told', () => {
  it('estimates the time left from the rate so far, then the commit, and forgets the file when it ends', () => {
    const ledger = {};
    const progress = trackImport(ledger, 'keystone-march.xml', 1_000_000);
    const t0 = performance.now();
    // Too little read to tell.
    progress.read.bytes = 10_000;
    expect(progress.view(t0 + 1000).secondsLeft).toBeNull();
    // Half the file in 10 s: 10 s more to read, then about a tenth of the reading for the commit.
    progress.read.bytes = 500_000;
    progress.records = 400_000;
    const half = progress.view(t0 + 10_000);
    expect(half).toMatchObject({ file: 'keystone-march.xml', phase: 'reading', records: 400_000 });
    expect(half.secondsLeft).toBeGreaterThanOrEqual(11);
    expect(half.secondsLeft).toBeLessThanOrEqual(13);
    expect(runningImports(ledger)).toHaveLength(1);
    expect(runningImports({})).toEqual([]);
    progress.committing();
    expect(progress.view().phase).toBe('committing');
    expect(progress.view().secondsLeft).toBeGreaterThanOrEqual(1);
    progress.end();
    expect(runningImports(ledger)).toEqual([]);
  });
});
