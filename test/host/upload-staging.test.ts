import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/core/api/principal';
import { UPLOAD_TTL_MS, UploadStaging, uploadNameSchema } from '../../src/core/ingest/uploads';

/* The core's staging area on its own: time limit, leftovers of a stopped process, names. */

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custodia-staging-'));
  made.push(dir);
  return path.join(dir, 'tmp');
}

const tess: Principal = { userId: 'u-tess', username: 'tess', displayName: 'Tess', roles: ['technician'] };
const files = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

describe('the upload staging area', () => {
  it('deletes an upload not imported within the hour, and its id then reads as unknown', async () => {
    const dir = tmpDir();
    let now = Date.parse('2026-03-02T09:00:00Z');
    const staging = new UploadStaging({ tmpDir: dir, now: () => now });
    const early = await staging.receive(tess, 'a.xml', Readable.from([Buffer.from('<a/>')]));
    now += UPLOAD_TTL_MS - 60_000;
    const late = await staging.receive(tess, 'b.xml', Readable.from([Buffer.from('<b/>')]));
    expect(files(dir)).toHaveLength(2);
    now += 2 * 60_000;
    staging.sweep();
    expect(files(dir)).toHaveLength(1);
    expect(() => staging.claim(tess.userId, [{ upload: early.upload, name: 'a.xml' }])).toThrow(
      /Upload it again/,
    );
    const [claimed] = staging.claim(tess.userId, [{ upload: late.upload, name: 'b.xml' }]);
    expect(fs.readFileSync(claimed!.file, 'utf8')).toBe('<b/>');
    staging.discard([claimed!]);
    expect(files(dir)).toEqual([]);
    staging.clear();
  });

  it('removes at start what a stopped process left, and keeps a running one’s files', () => {
    const dir = tmpDir();
    fs.mkdirSync(dir, { recursive: true });
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const stale = `upload-${gone}-${crypto.randomUUID()}.part`;
    const live = `upload-${process.pid}-${crypto.randomUUID()}.part`;
    const other = 'ingest-1-x.spill';
    for (const name of [stale, live, other]) fs.writeFileSync(path.join(dir, name), 'bytes');
    new UploadStaging({ tmpDir: dir }).clear();
    expect(files(dir).sort()).toEqual([other, live].sort());
  });

  it('claims all or none: one unknown id leaves the others waiting', async () => {
    const staging = new UploadStaging({ tmpDir: tmpDir() });
    const ok = await staging.receive(tess, 'a.xml', Readable.from([Buffer.from('<a/>')]));
    expect(() =>
      staging.claim(tess.userId, [
        { upload: ok.upload, name: 'a.xml' },
        { upload: 'y'.repeat(32), name: 'gone.xml' },
      ]),
    ).toThrow(/gone\.xml/);
    expect(staging.claim(tess.userId, [{ upload: ok.upload, name: 'a.xml' }])).toHaveLength(1);
    staging.clear();
  });

  it('keeps only the last part of a name and refuses empty or control-character names', () => {
    expect(uploadNameSchema.parse('../../etc/passwd')).toBe('passwd');
    expect(uploadNameSchema.parse('C:\\Users\\phil\\ship.xml')).toBe('ship.xml');
    expect(uploadNameSchema.safeParse('folder/').success).toBe(false);
    expect(uploadNameSchema.safeParse('a\nb.xml').success).toBe(false);
    expect(uploadNameSchema.safeParse('x'.repeat(256)).success).toBe(false);
  });
});
