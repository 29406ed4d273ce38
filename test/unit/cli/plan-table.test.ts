import { describe, expect, it } from "vitest";
import type { PlanDocument } from "../../../packages/cli/src/planning/plan-document";
import { renderPlanTable } from "../../../packages/cli/src/planning/plan-table";

/** A plan with no family, only the document-level facts the table prints. */
function document(referenceFallbackRegions: string[]): PlanDocument {
  return {
    plannedAt: "2026-01-10T00:00:00.000Z",
    source: "account",
    mode: "dry-run",
    families: [],
    totals: { counts: { keep: 0, wait: 0, deprecate: 0, disable: 0, deregister: 0 }, freedGiB: 0 },
    failures: [],
    referenceFallbackRegions,
  };
}

describe("renderPlanTable", () => {
  it("says which regions' references came from the fallback, and says nothing where none did", () => {
    // Act
    const fallback = renderPlanTable(document(["cn-north-1", "us-gov-west-1"]), { color: false });
    const complete = renderPlanTable(document([]), { color: false });

    // Assess
    expect(fallback).toContain(
      "References in cn-north-1, us-gov-west-1 came from the fallback (DescribeImageReferences is unavailable there)",
    );
    expect(complete).not.toContain("fallback");
  });
});
