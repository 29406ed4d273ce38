import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root: the CLI runs from there, as `npx ami-lifecycle` would. */
export const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** What one CLI process did. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/ami-lifecycle.js …` as a real child process (no colour: NO_COLOR set, stdout a pipe). */
export function runCli(args: readonly string[], options: { cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [`${repositoryRoot}bin/ami-lifecycle.js`, ...args],
      {
        cwd: options.cwd ?? repositoryRoot,
        env: { ...process.env, NO_COLOR: "1" },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 110_000,
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number") return reject(error);
        resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
      },
    );
  });
}
