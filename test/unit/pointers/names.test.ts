import { describe, expect, it } from "vitest";
import { latestPointerName, pointerName, pointerPathPrefix } from "../../../packages/core/src/index";

describe("pointer names", () => {
  it("fill the family and channel into the pattern", () => {
    expect(pointerName("/ami-lifecycle/{family}/{channel}", "web", "stable")).toBe(
      "/ami-lifecycle/web/stable",
    );
    expect(latestPointerName("/images/{channel}/{family}", "web")).toBe("/images/latest/web");
  });

  it("have the pattern's fixed directory as IAM prefix", () => {
    expect(pointerPathPrefix("/ami-lifecycle/{family}/{channel}")).toBe("/ami-lifecycle/");
    expect(pointerPathPrefix("/org/ami-{family}/{channel}")).toBe("/org/");
    expect(pointerPathPrefix("/{family}/{channel}")).toBe("/");
  });
});
