import { copyImageName, isAcceptedImageName } from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

describe("copyImageName", () => {
  it("keeps a name EC2 accepts", () => {
    expect(copyImageName("web (al2023) [x86_64] 2026.11.21/b7 - it's @ci_main")).toBe(
      "web (al2023) [x86_64] 2026.11.21/b7 - it's @ci_main",
    );
  });

  it("replaces each run of refused characters with '-'", () => {
    expect(copyImageName("web-2026.11.21+b7:rc")).toBe("web-2026.11.21-b7-rc");
    expect(copyImageName("web,,é;2")).toBe("web-2");
  });

  it("cuts to 128 characters and pads to 3", () => {
    expect(copyImageName(`${"a".repeat(127)}:bc`)).toHaveLength(128);
    expect(copyImageName("a")).toBe("a--");
  });

  it("always derives a name EC2 accepts", () => {
    for (const name of ["", "::", "web:1", "x".repeat(300), "ok-name"]) {
      expect(isAcceptedImageName(copyImageName(name))).toBe(true);
    }
  });
});
