import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "./support/run-cli";

/** Pids of the live (not zombie) processes whose parent is `parent`, read from /proc. */
function childrenOf(parent: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      const fields = statFields(Number(pid));
      return fields !== undefined && fields.parent === parent && fields.state !== "Z";
    })
    .map(Number);
}

/** State and parent of a process (`/proc/PID/stat`), or undefined once it is gone. */
function statFields(pid: number): { state: string; parent: number } | undefined {
  try {
    // The command name (2nd field) is in parentheses and may hold spaces: split after it.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, parent] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: state ?? "", parent: Number(parent) };
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  const fields = statFields(pid);
  return fields !== undefined && fields.state !== "Z";
}

describe.runIf(existsSync("/proc/self/stat"))("ami-lifecycle interrupted", () => {
  it("stops the DynamoDB Local it started when it gets SIGTERM in the middle of a sandbox run", async () => {
    // Prepare: a sandbox run that starts its own DynamoDB Local
    const cli = spawn(process.execPath, [`${repositoryRoot}bin/ami-lifecycle.js`, "sandbox"], {
      cwd: repositoryRoot,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      cli.once("exit", (code, signal) => resolve({ code, signal })),
    );
    // The first simulated build is only reported once DynamoDB Local answers.
    await new Promise<void>((resolve, reject) => {
      let stderr = "";
      cli.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/ build /.test(stderr)) resolve();
      });
      cli.once("exit", () => reject(new Error(`the sandbox ended before its first build:\n${stderr}`)));
    });
    const started = childrenOf(cli.pid as number);
    expect(started.length).toBeGreaterThan(0);

    // Act
    cli.kill("SIGTERM");
    const { code } = await exited;

    // Assess: it ended with the conventional 128 + 15 and took DynamoDB Local with it
    expect(code).toBe(143);
    expect(started.filter(alive)).toEqual([]);
  }, 60_000);
});
