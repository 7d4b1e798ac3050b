import { runCli } from '../../src/cli/main';

/** Runs the CLI in-process with captured output, as a person at a terminal would see it. */
export async function runCaptured(
  argv: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    out: (text) => (stdout += text + '\n'),
    err: (text) => (stderr += text + '\n'),
    readStdin: async () => options.stdin ?? '',
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}
