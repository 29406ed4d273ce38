import type { RetentionAction } from "@ami-lifecycle/core";
import { type CliIo, paint, type Style } from "../cli/io";
import { renderTable } from "../cli/table";
import type { PlanDocument } from "./plan-document";
import { restorabilityText } from "./restorability-text";

const actionStyles: Record<RetentionAction, Style> = {
  keep: "green",
  wait: "dim",
  deprecate: "yellow",
  disable: "magenta",
  deregister: "red",
};

/** The plan as people read it: per family, one row per version and region with its decision and reason. */
export function renderPlanTable(document: PlanDocument, io: Pick<CliIo, "color">): string {
  const blocks: string[] = [
    `Retention plan at ${document.plannedAt} (${document.source}, mode ${document.mode}${document.mode === "dry-run" ? ": the sweep only reports" : ": the sweep applies it"})`,
  ];
  for (const family of document.families) {
    const heading = `${paint(io, "bold", family.family)} (team ${family.team}): ${family.summary.replace(`${family.family}: `, "")}`;
    const rows = family.regions.flatMap((region) =>
      region.decisions.map((decision) => [
        decision.version === null ? "—" : `v${decision.version}`,
        region.region,
        decision.imageId,
        paint(io, actionStyles[decision.action], decision.action),
        decision.freedGiB > 0 ? `${decision.freedGiB} GiB` : "",
        restorabilityText(decision.restore),
        decision.reasons.map((reason) => `${reason.rule}: ${reason.message}`).join("; "),
      ]),
    );
    const table =
      rows.length > 0
        ? renderTable(["VERSION", "REGION", "IMAGE", "ACTION", "FREES", "RESTORE", "REASON"], rows)
        : "(no versions yet)";
    const perRegion = family.regions
      .filter((region) => region.freedGiB > 0)
      .map((region) => `${region.region} ${region.freedGiB} GiB`);
    const freed = perRegion.length > 0 ? `\nSnapshots freed: ${perRegion.join(", ")}` : "";
    const blocked =
      family.blockedVersions.length > 0
        ? `\n${paint(io, "yellow", `Not acted on: v${family.blockedVersions.join(", v")} (what uses them could not be looked up)`)}`
        : "";
    const binned =
      family.recoverable.length > 0
        ? `\nIn the Recycle Bin (\`restore\` brings them back): ${family.recoverable
            .map(
              (entry) =>
                `v${entry.version} ${entry.region} ${entry.imageId} until ${entry.until.slice(0, 16).replace("T", " ")}`,
            )
            .join(", ")}`
        : "";
    blocks.push(`${heading}\n${table}${freed}${blocked}${binned}`);
  }
  for (const failure of document.failures) {
    blocks.push(
      paint(
        io,
        "yellow",
        `Could not ${failure.step}${failure.region ? ` in ${failure.region}` : ""}${failure.family ? ` (${failure.family})` : ""}: ${failure.message}`,
      ),
    );
  }
  if (document.referenceFallbackRegions.length > 0) {
    blocks.push(
      paint(
        io,
        "yellow",
        `References in ${document.referenceFallbackRegions.join(", ")} came from the fallback (DescribeImageReferences is unavailable there): instances, every launch template version, Auto Scaling groups, launch configurations, EC2 and Spot Fleets, SSM parameters; Image Builder recipes were not checked`,
      ),
    );
  }
  blocks.push(
    `Total: ${Object.entries(document.totals.counts)
      .map(([action, count]) => `${count} ${action}`)
      .join(", ")}; frees ${document.totals.freedGiB} GiB of snapshots`,
  );
  return `${blocks.join("\n\n")}\n`;
}
