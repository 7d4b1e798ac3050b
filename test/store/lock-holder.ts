// Child process for lock.test.ts: takes the writer lock, says so, and waits to be killed.
import { acquireWriterLock } from '../../src/core/store/lock';

acquireWriterLock(process.argv[2]!, 0);
process.stdout.write('held\n');
setInterval(() => {}, 60_000);
