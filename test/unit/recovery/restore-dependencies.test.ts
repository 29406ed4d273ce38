import {
  AmiLifecycleError,
  type RestoreService,
  RestoreUnavailableError,
  restoreServiceOf,
  unavailableRestore,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

/** A restore adapter that is never called: these tests only look at which adapter a runtime hands out. */
const wiredRestore = {} as RestoreService;

/** What calling `call` threw or rejected with. */
async function refusalOf(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("restoreServiceOf", () => {
  it("hands out the restore adapter of a runtime that wires one", () => {
    // Prepare / Act
    const restore = restoreServiceOf({ restore: wiredRestore });
    // Assess
    expect(restore).toBe(wiredRestore);
  });

  it("refuses with a typed error naming `restore` when the runtime never restores (every deployed handler but the restore)", async () => {
    // Act
    const refusal = await refusalOf(() => restoreServiceOf({ restore: unavailableRestore }));
    // Assess
    expect(refusal).toBeInstanceOf(RestoreUnavailableError);
    expect(refusal).toBeInstanceOf(AmiLifecycleError);
    expect((refusal as Error).message).toMatch(/^restore: /);
  });
});

describe("unavailableRestore", () => {
  it("refuses every restore call with RestoreUnavailableError: nothing can restore through it", async () => {
    // Act
    const refusals = await Promise.all([
      refusalOf(() => unavailableRestore.binContents("eu-west-1", "ami-1", ["snap-1"])),
      refusalOf(() => unavailableRestore.snapshotStates("eu-west-1", ["snap-1"])),
      refusalOf(() => unavailableRestore.restoreSnapshot("eu-west-1", "snap-1")),
      refusalOf(() => unavailableRestore.restoreImage("eu-west-1", "ami-1")),
      refusalOf(() => unavailableRestore.enableImage("eu-west-1", "ami-1")),
      refusalOf(() => unavailableRestore.cancelDeprecation("eu-west-1", "ami-1")),
      refusalOf(() =>
        unavailableRestore.removeTag("eu-west-1", ["ami-1"], { key: "ami-lifecycle:retired", value: "1" }),
      ),
    ]);
    // Assess
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(RestoreUnavailableError);
  });
});
