// Running the built `overdue` command in tests: where it is, a clean environment, and its exit as a value.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** Fails clearly when the CLI has not been built (npm test builds first). */
export function requireBuiltCli(): void {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first (npm run build -w @overdue/server; npm test does it)`);
}

/** The environment of a user's shell, minus any Overdue settings of the machine running the tests. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('OVERDUE_') && name !== 'DATABASE_URL') env[name] = value;
  return { ...env, ...extra };
}

const execFileAsync = promisify(execFile);

/** Runs `overdue ...args` to completion; never throws for a non-zero exit. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [MAIN, ...args], { env: cleanEnv(env), timeout: timeoutMs });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
