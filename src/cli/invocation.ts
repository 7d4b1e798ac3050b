import fs from 'node:fs';
import path from 'node:path';

/**
 * How a person runs `custodia` where they are: `custodia` when it is on their PATH (the packaged
 * app puts it there), else `npx --no custodia` (inside the app's folder, where package.json names
 * the bin). Every hint the CLI prints starts with this, so it can be pasted as it is.
 */
export function cliCommand(env: NodeJS.ProcessEnv = process.env): string {
  const own = env.CUSTODIA_CLI?.trim();
  if (own) return own;
  // npx and npm scripts put node_modules/.bin on PATH: a `custodia` found there works only inside them.
  const onPath = (env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '' && !dir.split(path.sep).includes('node_modules'))
    .some((dir) => fs.existsSync(path.join(dir, 'custodia')));
  return onPath ? 'custodia' : 'npx --no custodia';
}

/** Rewrites the `custodia …` commands a message names ("custodia keys restore KIT") to {@link cliCommand}. */
export function withCliCommand(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const cli = cliCommand(env);
  if (cli === 'custodia') return text;
  return text.replace(
    /(["`(]|\b(?:see|run|Run|with:?) )custodia (?=[a-z])/g,
    (_m, before: string) => `${before}${cli} `,
  );
}
