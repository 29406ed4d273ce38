import {
  AmiLifecycleError,
  type RestoreService,
  RestoreUnavailableError,
  restoreServiceOf,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

/** A restore adapter that is never called: these tests only look at which adapter a runtime hands out. */
const wiredRestore = {} as RestoreService;

describe("restoreServiceOf", () => {
  it("hands out the restore adapter of a runtime that wires one", () => {
    // Prepare / Act
    const restore = restoreServiceOf({ restore: wiredRestore });
    // Assess
    expect(restore).toBe(wiredRestore);
  });

  it("refuses with a typed error naming `restore` when the runtime never restores (every deployed handler but the restore)", () => {
    // Act
    const refusal = (() => {
      try {
        restoreServiceOf({});
      } catch (error) {
        return error;
      }
    })();
    // Assess
    expect(refusal).toBeInstanceOf(RestoreUnavailableError);
    expect(refusal).toBeInstanceOf(AmiLifecycleError);
    expect((refusal as Error).message).toMatch(/^restore: /);
  });
});
