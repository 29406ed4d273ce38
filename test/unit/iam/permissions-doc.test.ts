import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderPermissionsDoc } from "../../support/permissions-doc";

describe("docs/permissions.md", () => {
  it("is the removed-grant table of the roles as they are (regenerate with scripts/generate-permissions-doc.ts)", () => {
    const committed = readFileSync(
      fileURLToPath(new URL("../../../docs/permissions.md", import.meta.url)),
      "utf8",
    );
    expect(committed).toBe(renderPermissionsDoc());
  });
});
