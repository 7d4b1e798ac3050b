import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { printFigure, type Report } from './report';

/**
 * `npm run bench [-- NAME...]`: runs every bench/<name>.ts that exports run(report), or only the
 * named ones, and prints one JSON line per figure. Sizes default to what the issues ask for
 * (1M entries/events); CUSTODIA_BENCH_* variables shrink them for a quick look.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const suites = fs
  .readdirSync(here)
  .filter((file) => file.endsWith('.ts') && !['index.ts', 'report.ts'].includes(file))
  .map((file) => file.replace(/\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

printFigure({
  figure: 'bench.machine',
  value: 1,
  unit: 'info',
  node: process.version,
  cpus: os.cpus().length,
});
for (const name of suites) {
  const suite = (await import(pathToFileURL(path.join(here, `${name}.ts`)).href)) as {
    run?: (report: Report) => Promise<void>;
  };
  if (typeof suite.run !== 'function') continue;
  await suite.run((figure) =>
    printFigure({
      ...figure,
      figure: figure.figure.includes('.') ? figure.figure : `${name}.${figure.figure}`,
    }),
  );
}
