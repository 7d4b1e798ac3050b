import type { ReadProgress } from './read';

export type ImportPhase = 'reading' | 'committing';

/**
 * An import holding the ledger's writer, as it is told to a person whose write waits behind it (a
 * receiving scan, an approval): a file is one transaction, so their write goes ahead when it commits.
 */
export interface RunningImport {
  /** The file's name as the person who imported it knows it. */
  readonly file: string;
  readonly phase: ImportPhase;
  /** Records read and checked so far. */
  readonly records: number;
  readonly bytesRead: number;
  readonly size: number;
  readonly elapsedSeconds: number;
  /** Until the file commits and waiting writes go ahead; null while too little is read to tell. */
  readonly secondsLeft: number | null;
}

/**
 * The commit (the tree recomputed from the stored leaves, the checkpoint, COMMIT) as a share of the
 * time spent reading and applying: 8.6 s after 132 s at a million events (issue 16's measurement),
 * rounded up so the estimate errs long.
 */
const COMMIT_SHARE = 0.1;

/** Less than this share of the file read says too little about its rate to estimate from. */
const MIN_SHARE_TO_ESTIMATE = 0.05;

/** One import's progress, kept up to date by the import (pipeline.ts). */
export class ImportProgress {
  phase: ImportPhase = 'reading';
  records = 0;
  /** Filled by the reader as it streams the file. */
  readonly read: ReadProgress = { bytes: 0 };
  private readonly started = performance.now();
  private committingAt: number | null = null;

  constructor(
    readonly file: string,
    readonly size: number,
    private readonly onEnd: (progress: ImportProgress) => void = () => {},
  ) {}

  /** The import committed, failed or was cancelled: nobody waits for it any more. */
  end(): void {
    this.onEnd(this);
  }

  committing(): void {
    this.phase = 'committing';
    this.committingAt = performance.now();
  }

  view(now = performance.now()): RunningImport {
    const elapsed = (now - this.started) / 1000;
    return {
      file: this.file,
      phase: this.phase,
      records: this.records,
      bytesRead: this.read.bytes,
      size: this.size,
      elapsedSeconds: Math.round(elapsed),
      secondsLeft: this.secondsLeft(now),
    };
  }

  /** From the rate so far: the rest of the file at that rate, then the commit. */
  private secondsLeft(now: number): number | null {
    if (this.committingAt !== null) {
      const reading = (this.committingAt - this.started) / 1000;
      return Math.max(1, Math.ceil(reading * COMMIT_SHARE - (now - this.committingAt) / 1000));
    }
    const share = this.size > 0 ? Math.min(1, this.read.bytes / this.size) : 0;
    if (share < MIN_SHARE_TO_ESTIMATE) return null;
    const reading = (now - this.started) / 1000;
    const total = reading / share;
    return Math.max(1, Math.ceil(total - reading + total * COMMIT_SHARE));
  }
}

/** The imports in progress per open ledger (the key): at most one holds the writer at a time. */
const inProgress = new WeakMap<object, Set<ImportProgress>>();

/** Registers an import on a ledger until its `end()`; what {@link runningImports} shows of it. */
export function trackImport(ledger: object, file: string, size: number): ImportProgress {
  let set = inProgress.get(ledger);
  if (set === undefined) inProgress.set(ledger, (set = new Set()));
  const progress = new ImportProgress(file, size, (p) => set.delete(p));
  set.add(progress);
  return progress;
}

/** The imports now holding, or waiting for, the writer of this ledger. */
export function runningImports(ledger: object): RunningImport[] {
  return [...(inProgress.get(ledger) ?? [])].map((p) => p.view());
}
