import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planTarget } from "../../packages/cli/src/commands/plan";
import { writeReportFile } from "../../packages/cli/src/commands/report";
import { renderPlanTable } from "../../packages/cli/src/planning/plan-table";
import { renderSandbox, sandboxDocument } from "../../packages/cli/src/sandbox/sandbox-document";
import {
  binTheOldestTwo,
  printedIo,
  type RetiredFamilyWorld,
  startRetiredFamily,
} from "../support/retired-family-world";

const dayMs = 86_400_000;

/** The report's row of one version in the family table: from its `<tr class="stage-…">` to `</tr>`. */
function reportRow(html: string, version: string): string {
  const row = html
    .split('<tr class="stage-')
    .slice(1)
    .find((part) => part.includes(`<strong>${version}</strong>`));
  if (!row) throw new Error(`no report row for ${version}`);
  return row.slice(0, row.indexOf("</tr>"));
}

describe("the CLI's rendering of versions in the Recycle Bin and deregistered for good", () => {
  let world: RetiredFamilyWorld;
  let sandboxPrintout = "";
  let planPrintout = "";
  let html = "";

  beforeAll(async () => {
    // Prepare: the capped sweep bins v1 and v2 (7 days recoverable); 8 days later the scheduled sweep finds
    // them gone from the bin (deregistered for good) and bins v3 and v4, recoverable until 2026-11-20 14:50.
    world = await startRetiredFamily();
    await binTheOldestTwo(world);
    await world.session.advance(8 * dayMs);
    await world.session.scheduledSweep();

    // Act: what `sandbox`, `plan` and `report --out` print and write, over this story's sandbox
    const io = printedIo();
    sandboxPrintout = renderSandbox(await sandboxDocument(world.sandbox), io);
    planPrintout = renderPlanTable(await planTarget(world.service, () => {}), io);
    const reportPath = join(mkdtempSync(join(tmpdir(), "ami-cli-retired-")), "report.html");
    await writeReportFile(world.sandbox, reportPath, io);
    html = readFileSync(reportPath, "utf8");
  });

  afterAll(() => world?.stop());

  it("prints the registry: gone versions `deregistered (final)`, binned ones `recoverable until` their date", () => {
    const registry = sandboxPrintout.slice(sandboxPrintout.indexOf("web (team web-team): 5 versions"));
    for (const version of ["v1", "v2"])
      expect(registry).toMatch(
        new RegExp(
          `^${version} +web-\\S+ +deregistered +ami-\\w+ deregistered \\(final\\) +ami-\\w+ deregistered \\(final\\)$`,
          "m",
        ),
      );
    for (const version of ["v3", "v4"])
      expect(registry).toMatch(
        new RegExp(
          `^${version} +web-\\S+ +deregistered +ami-\\w+ recoverable until 2026-11-20 14:50 +ami-\\w+ recoverable until 2026-11-20 14:50$`,
          "m",
        ),
      );
    expect(registry).toMatch(/^v5 +web-\S+ +active +ami-\w+ available +ami-\w+ available$/m);
  });

  it("lists the binned regions under the plan, with what brings them back and until when", () => {
    expect(planPrintout).toMatch(
      /^In the Recycle Bin \(`restore` brings them back\): v3 us-east-1 ami-\w+ until 2026-11-20 14:50, v3 eu-west-1 ami-\w+ until 2026-11-20 14:50, v4 us-east-1 ami-\w+ until 2026-11-20 14:50, v4 eu-west-1 ami-\w+ until 2026-11-20 14:50$/m,
    );
  });

  it("renders the report's version rows with each region's state: recoverable in the bin, deregistered when gone", () => {
    for (const version of ["v1", "v2"]) {
      const row = reportRow(html, version);
      expect(row).toMatch(/^deregistered">/);
      expect(row.match(/class="state state-\w+">\w+</g)).toEqual([
        'class="state state-deregistered">deregistered<',
        'class="state state-deregistered">deregistered<',
      ]);
    }
    for (const version of ["v3", "v4"]) {
      expect(reportRow(html, version).match(/class="state state-\w+">\w+</g)).toEqual([
        'class="state state-recoverable">recoverable<',
        'class="state state-recoverable">recoverable<',
      ]);
    }
    expect(html).toContain("in the Recycle Bin: restorable until 2026-11-20 14:50");
  });
});
