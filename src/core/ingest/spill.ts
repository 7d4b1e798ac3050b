import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IngestRecord } from '../model/records';
import { removeOrphans } from './orphans';

const CHUNK_CHARS = 4 * 1024 * 1024;

/**
 * Parsed records that must wait before they can be checked: those a file gives before its header
 * (pipeline.ts). Records that fit in one chunk stay in memory; more are written to a temporary file in
 * 4 MiB chunks, each sealed with AES-256-GCM under a key that exists only in this process, so the
 * serial numbers it holds are never on disk in clear and a crash leaves only unreadable bytes.
 */
export class RecordSpill {
  private readonly key = crypto.randomBytes(32);
  private buffer: string[] = [];
  private bufferChars = 0;
  private fd: number | null = null;
  private file: string | null = null;
  count = 0;

  constructor(private readonly tmpDir: string) {}

  push(record: IngestRecord): void {
    const line = JSON.stringify(record);
    this.buffer.push(line);
    this.bufferChars += line.length;
    this.count++;
    if (this.bufferChars >= CHUNK_CHARS) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    if (this.fd === null) {
      fs.mkdirSync(this.tmpDir, { recursive: true, mode: 0o700 });
      this.file = path.join(this.tmpDir, `ingest-${process.pid}-${crypto.randomUUID()}.spill`);
      this.fd = fs.openSync(this.file, 'wx', 0o600);
    }
    const plain = Buffer.from(this.buffer.join('\n'), 'utf8');
    const nonce = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, nonce);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length);
    fs.writeSync(this.fd, Buffer.concat([head, nonce, body, cipher.getAuthTag()]));
    this.buffer = [];
    this.bufferChars = 0;
  }

  /** Records in the order pushed; synchronous, for use inside a transaction. */
  *records(): Generator<IngestRecord> {
    if (this.fd !== null) {
      this.flush();
      const fd = fs.openSync(this.file!, 'r');
      try {
        let offset = 0;
        const head = Buffer.alloc(16);
        for (;;) {
          if (fs.readSync(fd, head, 0, 16, offset) < 16) break;
          const length = head.readUInt32BE(0);
          const nonce = head.subarray(4, 16);
          const body = Buffer.alloc(length + 16);
          fs.readSync(fd, body, 0, length + 16, offset + 16);
          offset += 16 + length + 16;
          const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, nonce);
          decipher.setAuthTag(body.subarray(length));
          const text = Buffer.concat([decipher.update(body.subarray(0, length)), decipher.final()]).toString(
            'utf8',
          );
          for (const line of text.split('\n')) yield JSON.parse(line) as IngestRecord;
        }
      } finally {
        fs.closeSync(fd);
      }
      return;
    }
    for (const line of this.buffer) yield JSON.parse(line) as IngestRecord;
  }

  dispose(): void {
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      fs.rmSync(this.file!, { force: true });
      this.fd = null;
    }
    this.buffer = [];
  }
}

/** Removes spill files that crashed imports left behind (their keys died with their process). */
export function removeStaleSpills(tmpDir: string): void {
  removeOrphans(tmpDir, /^ingest-(\d+)-.*\.spill$/);
}
