import {
  type Config,
  type RegionImageRecord,
  restorabilityOf,
  type VersionRecord,
  type VersionRegistry,
} from "@ami-lifecycle/core";
import { type CliIo, paint, type Style } from "../cli/io";
import { renderTable } from "../cli/table";
import { restorabilitySuffix } from "./restorability-text";

/** One family's versions as the registry holds them. */
export interface RegistryFamily {
  family: string;
  team: string;
  versions: VersionRecord[];
}

/** Reads every configured family's versions (and any family the registry has that the config dropped). */
export async function readRegistry(
  registry: VersionRegistry,
  config: Config,
  only?: string,
): Promise<RegistryFamily[]> {
  const names = only
    ? [only]
    : [...new Set([...config.families.map((family) => family.name), ...(await registry.listFamilies())])];
  const families: RegistryFamily[] = [];
  for (const name of names) {
    families.push({
      family: name,
      team: config.families.find((family) => family.name === name)?.team ?? "(not configured)",
      versions: await registry.listVersions(name),
    });
  }
  return families;
}

const stateStyles: Record<RegionImageRecord["state"], Style> = {
  pending: "cyan",
  available: "green",
  failed: "red",
  "copy-waiting": "yellow",
  disabled: "magenta",
  deregistered: "dim",
  recoverable: "blue",
  missing: "red",
};

/**
 * The versions × regions table of one family: each cell the region's image id and state, and whether it
 * can be restored at `now` (` until …` from the Recycle Bin, ` (restorable)`, ` (final)`).
 */
export function renderVersionsTable(
  family: RegistryFamily,
  regions: readonly string[],
  io: Pick<CliIo, "color">,
  now: Date,
): string {
  const heading = `${paint(io, "bold", family.family)} (team ${family.team}): ${family.versions.length} version${family.versions.length === 1 ? "" : "s"}`;
  if (family.versions.length === 0) return `${heading}\n(no versions yet)`;
  const rows = family.versions.map((version) => [
    `v${version.version}${version.withdrawn ? " (withdrawn)" : ""}`,
    version.name,
    version.stage,
    ...regions.map((region) => {
      const record = version.regions[region];
      return `${regionCell(record, io)}${restorabilitySuffix(restorabilityOf(version, record, now))}`;
    }),
  ]);
  return `${heading}\n${renderTable(["VERSION", "NAME", "STAGE", ...regions], rows)}`;
}

function regionCell(record: RegionImageRecord | undefined, io: Pick<CliIo, "color">): string {
  if (!record) return "—";
  const state = paint(io, stateStyles[record.state], record.state);
  return `${record.imageId ?? "(none)"} ${state}`;
}
