import { ClaimHeldError, type ClaimLease, onceInTurn, type VersionRegistry } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

/** The claim operations of a registry, in memory, counting completion writes. */
class ClaimMemory {
  readonly claims = new Map<string, { state: "pending"; leaseId: string } | { state: "done" }>();
  completionWrites = 0;
  private leases = 0;

  async takeClaim(key: string): Promise<ClaimLease> {
    const claim = this.claims.get(key);
    if (claim?.state === "done") return { state: "done" };
    if (claim) return { state: "held" };
    const leaseId = `lease-${++this.leases}`;
    this.claims.set(key, { state: "pending", leaseId });
    return { state: "taken", leaseId };
  }

  async completeClaim(key: string): Promise<void> {
    this.completionWrites++;
    this.claims.set(key, { state: "done" });
  }

  async completeClaims(keys: readonly string[]): Promise<void> {
    this.completionWrites++;
    for (const key of keys) this.claims.set(key, { state: "done" });
  }

  async releaseLease(key: string, leaseId: string): Promise<void> {
    const claim = this.claims.get(key);
    if (claim?.state === "pending" && claim.leaseId === leaseId) this.claims.delete(key);
  }
}

function depsOf(memory: ClaimMemory) {
  return { registry: memory as unknown as VersionRegistry };
}

describe("onceInTurn", () => {
  it("performs every effect once and completes them all in one write", async () => {
    // Prepare
    const memory = new ClaimMemory();
    const ran: string[] = [];
    const steps = ["a", "b"].map((key) => ({ key, effect: async () => void ran.push(key) }));

    // Act
    const first = await onceInTurn(depsOf(memory), steps);
    const again = await onceInTurn(depsOf(memory), steps);

    // Assess
    expect(first).toEqual([true, true]);
    expect(again).toEqual([false, false]);
    expect(ran).toEqual(["a", "b"]);
    expect(memory.completionWrites).toBe(1);
  });

  it("keeps what was performed when a later effect fails: the retry performs only the rest", async () => {
    // Prepare: the second publish fails once
    const memory = new ClaimMemory();
    const ran: string[] = [];
    let failures = 1;
    const steps = [
      { key: "available", effect: async () => void ran.push("available") },
      {
        key: "replicated",
        effect: async () => {
          if (failures-- > 0) throw new Error("SNS is throttling");
          ran.push("replicated");
        },
      },
    ];

    // Act
    const failed = await onceInTurn(depsOf(memory), steps).catch((error: unknown) => error);
    const retried = await onceInTurn(depsOf(memory), steps);

    // Assess
    expect(failed).toBeInstanceOf(Error);
    expect(retried).toEqual([false, true]);
    expect(ran).toEqual(["available", "replicated"]);
  });

  it("performs nothing while another attempt holds the first claim, and gives the other lease back", async () => {
    // Prepare
    const memory = new ClaimMemory();
    await memory.takeClaim("available");
    const ran: string[] = [];
    const steps = ["available", "replicated"].map((key) => ({ key, effect: async () => void ran.push(key) }));

    // Act
    const outcome = await onceInTurn(depsOf(memory), steps).catch((error: unknown) => error);

    // Assess
    expect(outcome).toBeInstanceOf(ClaimHeldError);
    expect(ran).toEqual([]);
    expect(memory.claims.has("replicated")).toBe(false);
  });
});
