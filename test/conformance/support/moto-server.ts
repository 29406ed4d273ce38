import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";

/** A running moto server (an AWS emulator the project did not write) on a loopback port, in memory. */
export interface MotoServer {
  endpoint: string;
  stop(): Promise<void>;
}

/** How a user installs moto's server mode; printed when the conformance suite is skipped. */
export const motoInstallHint = 'pip install "moto[server]"';

/** The python interpreter that runs moto (override with AMI_LIFECYCLE_MOTO_PYTHON). */
function pythonCommand(): string {
  return process.env.AMI_LIFECYCLE_MOTO_PYTHON ?? "python3";
}

/** True when the interpreter can import moto's server (moto plus its `server` extra). */
export function isMotoInstalled(): boolean {
  const probe = spawnSync(pythonCommand(), ["-c", "import moto.server"], { stdio: "ignore" });
  return probe.status === 0;
}

/**
 * Starts `python3 -m moto.server` on a free loopback port and waits until it answers. The default AMIs
 * are not loaded: moto gets slow with many resources, and the suite registers the few images it needs.
 */
export async function startMotoServer(options: { timeoutMs?: number } = {}): Promise<MotoServer> {
  const port = await findFreePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(pythonCommand(), ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, MOTO_EC2_LOAD_DEFAULT_AMIS: "false" },
  });
  const stderr: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => {
    // moto logs every request on stderr: keep only the start, for the error message.
    if (stderr.length < 50) stderr.push(chunk.toString());
  });
  try {
    await waitUntilReady(endpoint, child, options.timeoutMs ?? 30_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`moto did not start on ${endpoint}: ${(error as Error).message}\n${stderr.join("")}`);
  }
  return { endpoint, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
