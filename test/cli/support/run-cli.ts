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

/**
 * How long one CLI process may run before it is killed: a whole sandbox story (DynamoDB Local, three
 * regions, nine simulated days) takes 15 to 25 s alone and several times that on a loaded machine. A test
 * that runs N of them one after another gives its hook N times this (see `cliBudgetMs`).
 */
export const cliRunBudgetMs = 110_000;

/** The hook timeout for `runs` CLI processes run one after another, each within `cliRunBudgetMs`. */
export function cliBudgetMs(runs: number): number {
  return runs * cliRunBudgetMs + 10_000;
}

/**
 * Runs `node bin/ami-lifecycle.js …` as a real child process (no colour: NO_COLOR set, stdout a pipe).
 * A process still running after `cliRunBudgetMs` is killed and the run rejects saying so (its exit code,
 * 143 from SIGTERM, would otherwise read as the command's own failure).
 */
export function runCli(args: readonly string[], options: { cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [`${repositoryRoot}bin/ami-lifecycle.js`, ...args],
      {
        cwd: options.cwd ?? repositoryRoot,
        env: { ...process.env, NO_COLOR: "1" },
        maxBuffer: 64 * 1024 * 1024,
        timeout: cliRunBudgetMs,
      },
      (error, stdout, stderr) => {
        if (error?.killed)
          return reject(
            new Error(`ami-lifecycle ${args.join(" ")} was killed after ${cliRunBudgetMs} ms\n${stderr}`),
          );
        if (error && typeof error.code !== "number") return reject(error);
        resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
      },
    );
  });
}
