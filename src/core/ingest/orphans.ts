import fs from 'node:fs';
import path from 'node:path';

/**
 * Removes the temporary files of processes that are gone: spills and staged uploads carry their
 * process id in their name (`pattern`'s first group), and a crashed or killed import leaves them
 * behind. Files of this process, or of one still running, are left alone.
 */
export function removeOrphans(tmpDir: string, pattern: RegExp): void {
  let names: string[];
  try {
    names = fs.readdirSync(tmpDir);
  } catch {
    return; // no folder yet
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (m === null || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    fs.rmSync(path.join(tmpDir, name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
