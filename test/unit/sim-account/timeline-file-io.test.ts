import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SimClock, SimTimeline, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import { DescribeImagesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";

/**
 * A named pipe: reading it is a file-system request that stays pending until `answer` writes it, a
 * stand-in for a slow disk (or a starved thread pool on a loaded machine) made deterministic.
 */
function slowFile(contents: string) {
  const dir = mkdtempSync(join(tmpdir(), "timeline-fs-"));
  const path = join(dir, "config");
  execFileSync("mkfifo", [path]);
  return {
    path,
    answer: () => writeFile(path, contents),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe("SimTimeline with real file-system requests in flight", () => {
  it("does not move the clock while a task still waits on a file read", async () => {
    // Prepare: one task sleeps a second; the other reads a file that answers later, then sleeps 100 ms
    const clock = new SimClock();
    const timeline = new SimTimeline(clock);
    const file = slowFile("answered");
    cleanups.push(file.remove);
    const start = clock.nowMs();
    let clockAfterRead = -1;
    const reader = (async () => {
      await readFile(file.path, "utf8");
      clockAfterRead = clock.nowMs();
      await timeline.sleep(100);
      return clock.nowMs();
    })();
    const sleeper = timeline.sleep(1000).then(() => clock.nowMs());
    setTimeout(() => void file.answer(), 30);
    // Act
    const [readerWoke, sleeperWoke] = await Promise.all([reader, sleeper]);
    // Assess: the read took no simulated time, so the short sleep ends first
    expect(clockAfterRead).toBe(start);
    expect(readerWoke - start).toBe(100);
    expect(sleeperWoke - start).toBe(1000);
  });

  it("charges an SDK client's first call its latency only, while the SDK reads the shared config file", async () => {
    // Prepare: the client's first call reads AWS_CONFIG_FILE (real I/O) while another task sleeps a second
    const file = slowFile("[default]\n");
    const before = process.env.AWS_CONFIG_FILE;
    process.env.AWS_CONFIG_FILE = file.path;
    cleanups.push(file.remove, () => {
      if (before === undefined) delete process.env.AWS_CONFIG_FILE;
      else process.env.AWS_CONFIG_FILE = before;
    });
    const account = new SimulatedAccount({
      regions: ["us-east-1"],
      pacing: { latency: { perOperationMs: { DescribeImages: 400 } } },
    });
    const client = account.client(EC2Client, "us-east-1");
    cleanups.push(() => client.destroy());
    const start = account.clock.nowMs();
    const sleeper = account.timeline.sleep(1000);
    setTimeout(() => void file.answer(), 30);
    // Act
    await client.send(new DescribeImagesCommand({ Owners: ["self"] }));
    const callEnded = account.clock.nowMs();
    await sleeper;
    // Assess: the call started at `start` and cost its 400 ms, not after the other task's second
    expect(callEnded - start).toBe(400);
    expect(account.clock.nowMs() - start).toBe(1000);
  });
});
