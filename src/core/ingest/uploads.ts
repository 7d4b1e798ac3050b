import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { ApiError } from '../api/errors';
import { rolesGrant } from '../api/permissions';
import type { Principal } from '../api/principal';
import { removeOrphans } from './orphans';

/*
 * Files a person uploads through the headless host, waiting on disk for the ingest.import call
 * that names them. The host only pipes the request body here: who may upload, where the bytes go,
 * how large they may be and how long they wait is decided in the core.
 *
 * A staged file holds the partner's bytes in clear (the import pipeline reads it by path several
 * times: hash, format sniffing, parsing, and the raw copy kept in quarantine). The host listens on
 * loopback only, so the file came from this same computer, where the person's copy already sits in
 * clear; the staged copy lives under <data>/tmp (0700, files 0600) for at most an hour.
 */

/** Largest file one upload may carry: partner files of a few hundred MB exist; 2 GiB bounds the rest. */
export const MAX_STAGED_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;
/** An upload not imported within this time is deleted. */
export const UPLOAD_TTL_MS = 60 * 60 * 1000;
/** Free space an upload must leave on the data folder's disk, so the ledger can still grow. */
const FREE_SPACE_MARGIN_BYTES = 256 * 1024 * 1024;

const STAGED_NAME = /^upload-(\d+)-[0-9a-f-]{36}\.part$/;

/** A file name as sent: any folders in front of it are dropped, control characters refused. */
export const uploadNameSchema = z
  .string()
  .transform((raw) => raw.split(/[\\/]/).pop()!.trim())
  .pipe(
    z
      .string()
      .min(1, 'the file name is empty')
      .max(255, 'the file name is longer than 255 characters')
      // eslint-disable-next-line no-control-regex -- control characters are what this refuses
      .regex(/^[^\u0000-\u001f\u007f]+$/, 'the file name holds control characters')
      .refine((name) => name !== '.' && name !== '..', 'the file name is not a name'),
  );

export interface StagedUpload {
  /** The opaque id the person passes to ingest.import. */
  readonly upload: string;
  readonly name: string;
  readonly size: number;
}

/** A staged file handed to one import: the caller deletes it with discard() when done. */
export interface ClaimedUpload {
  readonly file: string;
  readonly name: string;
  readonly size: number;
}

interface Waiting extends ClaimedUpload {
  readonly userId: string;
  readonly stagedMs: number;
}

export interface UploadStagingOptions {
  /** Where staged files go: <data>/tmp. */
  readonly tmpDir: string;
  readonly maxBytes?: number;
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export class UploadStaging {
  readonly maxBytes: number;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly waiting = new Map<string, Waiting>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: UploadStagingOptions) {
    this.maxBytes = options.maxBytes ?? MAX_STAGED_UPLOAD_BYTES;
    this.ttlMs = options.ttlMs ?? UPLOAD_TTL_MS;
    this.now = options.now ?? Date.now;
    removeStaleUploads(options.tmpDir);
  }

  /**
   * Streams one upload to a file under tmp, never holding it in memory. Checks the person first
   * (signed in, allowed import.write), then the name and the declared size, then counts bytes as
   * they arrive: past the limit (maxBytes, or a lower one the transport sets) the partial file is
   * deleted and UploadTooLarge thrown.
   */
  async receive(
    principal: Principal | null,
    rawName: string | undefined,
    body: Readable,
    sizes: { declared?: number; limit?: number } = {},
  ): Promise<StagedUpload> {
    const max = Math.min(this.maxBytes, sizes.limit ?? Infinity);
    const declaredBytes = sizes.declared;
    if (principal === null) {
      throw new ApiError(
        'unauthenticated',
        'Sign in first: uploading a file to import needs a signed-in person.',
        {
          permission: 'import.write',
        },
      );
    }
    if (!rolesGrant(principal.roles, 'import.write')) {
      throw new ApiError(
        'forbidden',
        `Your roles (${principal.roles.join(', ') || 'none'}) do not allow import.write, so you cannot upload files to import.`,
        { permission: 'import.write' },
      );
    }
    const name = uploadNameSchema.safeParse(rawName ?? '');
    if (!name.success) {
      throw new ApiError(
        'invalid-input',
        `The upload's file name (header X-Custodia-File-Name) is not usable: ${name.error.issues[0]?.message ?? 'invalid'}.`,
      );
    }
    if (declaredBytes !== undefined && declaredBytes > max) throw new UploadTooLarge(max);
    this.ensureRoom(declaredBytes ?? 0);

    this.sweep();
    fs.mkdirSync(this.options.tmpDir, { recursive: true, mode: 0o700 });
    const file = path.join(this.options.tmpDir, `upload-${process.pid}-${crypto.randomUUID()}.part`);
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > max) done(new UploadTooLarge(max));
        else done(null, chunk);
      },
    });
    // The body is piped, not handed to pipeline(): on a refusal pipeline would destroy it, and with
    // it the connection the transport still needs to answer on.
    const written = pipeline(counter, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    const stoppedEarly = () => {
      if (!body.readableEnded) counter.destroy(new Error('the upload stopped before its end'));
    };
    body.once('error', stoppedEarly);
    body.once('close', stoppedEarly);
    body.pipe(counter);
    try {
      await written;
    } catch (error) {
      body.unpipe(counter);
      fs.rmSync(file, { force: true });
      if (error instanceof ApiError) throw error;
      throw new ApiError(
        'cancelled',
        `The upload of ${name.data} stopped before the whole file arrived; send it again.`,
      );
    } finally {
      body.off('error', stoppedEarly);
      body.off('close', stoppedEarly);
    }
    if (declaredBytes !== undefined && size !== declaredBytes) {
      fs.rmSync(file, { force: true });
      throw new ApiError(
        'cancelled',
        `The upload of ${name.data} stopped before the whole file arrived; send it again.`,
      );
    }
    const upload = crypto.randomBytes(24).toString('base64url');
    this.waiting.set(upload, { file, name: name.data, size, userId: principal.userId, stagedMs: this.now() });
    this.startTimer();
    return { upload, name: name.data, size };
  }

  /**
   * Hands the staged files to one import, all or none: each id must be waiting and have been
   * uploaded by this same person (someone else's id reads as unknown). Claimed ids stop existing,
   * so two imports cannot take the same file; the caller discards the files when done.
   */
  claim(userId: string, requests: readonly { upload: string; name: string }[]): ClaimedUpload[] {
    this.sweep();
    for (const r of requests) {
      const found = this.waiting.get(r.upload);
      if (found === undefined || found.userId !== userId) {
        throw new ApiError(
          'not-found',
          `The uploaded file ${r.name} is no longer waiting to be imported (uploads wait one hour, for the person who sent them, until the host stops). Upload it again.`,
          { upload: r.upload },
        );
      }
    }
    return requests.map((r) => {
      const found = this.waiting.get(r.upload)!;
      this.waiting.delete(r.upload);
      return { file: found.file, name: found.name, size: found.size };
    });
  }

  discard(claimed: readonly ClaimedUpload[]): void {
    for (const c of claimed) fs.rmSync(c.file, { force: true });
  }

  /** Deletes uploads that waited longer than the time limit. */
  sweep(): void {
    const oldest = this.now() - this.ttlMs;
    for (const [id, w] of this.waiting) {
      if (w.stagedMs <= oldest) {
        fs.rmSync(w.file, { force: true });
        this.waiting.delete(id);
      }
    }
    if (this.waiting.size === 0) this.stopTimer();
  }

  /** Deletes every waiting upload (tests, and a core shutting down). */
  clear(): void {
    for (const w of this.waiting.values()) fs.rmSync(w.file, { force: true });
    this.waiting.clear();
    this.stopTimer();
  }

  private ensureRoom(bytes: number): void {
    let free: number;
    try {
      const stats = fs.statfsSync(
        fs.existsSync(this.options.tmpDir) ? this.options.tmpDir : path.dirname(this.options.tmpDir),
      );
      free = stats.bavail * stats.bsize;
    } catch {
      return; // no figure to go by; the size cap still bounds the upload
    }
    if (free - bytes < FREE_SPACE_MARGIN_BYTES) {
      throw new ApiError(
        'conflict',
        `There is not enough free disk space for this upload (${Math.round(free / 1e6)} MB free in the data folder, which also needs room for the ledger). Free some space, or import the file with "custodia import FILE" on the workstation.`,
        { freeBytes: free },
      );
    }
  }

  private startTimer(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.sweep(), Math.min(this.ttlMs, 5 * 60 * 1000));
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** The upload is past the size limit: the host answers 413 and stops reading. */
export class UploadTooLarge extends ApiError {
  constructor(readonly limitBytes: number) {
    super(
      'invalid-input',
      `This file is larger than ${formatLimit(limitBytes)}, the most one upload may carry. Import it with "custodia import FILE --data DIR" on the workstation.`,
      { limitBytes },
    );
  }
}

function formatLimit(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${bytes / 1024 ** 3} GiB` : `${Math.round((bytes / 1024 ** 2) * 10) / 10} MiB`;
}

const stagings = new Map<string, UploadStaging>();

/**
 * The one staging area of a data folder in this process: the host stages into it and the
 * ingest.import handler claims from it. Created on first use, which removes what a stopped
 * process left behind.
 */
export function uploadStaging(dataDir: string): UploadStaging {
  const key = path.resolve(dataDir);
  let staging = stagings.get(key);
  if (staging === undefined) {
    staging = new UploadStaging({ tmpDir: path.join(key, 'tmp') });
    stagings.set(key, staging);
  }
  return staging;
}

/** Removes staged uploads whose process is gone (an upload id never outlives its process). */
export function removeStaleUploads(tmpDir: string): void {
  removeOrphans(tmpDir, STAGED_NAME);
}
