import type { Config, FamilyConfig } from "../config";

/**
 * The largest one-off deletion cap a sweep request may set for the family: its
 * `retention.maxRequestedDeletions`, else its `maxDeletionsPerRun`. A request is an event anyone allowed
 * to put on the bus can send, so only the deployed config can raise the cap; a request can lower it.
 */
export function requestedDeletionsCeiling(family: FamilyConfig): number {
  return family.retention.maxRequestedDeletions ?? family.retention.maxDeletionsPerRun;
}

/** Why a requested cap is refused for some of the families (empty: it is within every family's ceiling). */
export function requestedCapIssues(
  config: Config,
  families: readonly string[] | undefined,
  maxDeletions: number,
  field: string,
): { path: string; message: string }[] {
  const names = families ?? config.families.map((family) => family.name);
  const issues: { path: string; message: string }[] = [];
  for (const name of names) {
    const family = config.families.find((candidate) => candidate.name === name);
    if (!family) continue;
    const ceiling = requestedDeletionsCeiling(family);
    if (maxDeletions > ceiling) {
      issues.push({
        path: field,
        message: `${maxDeletions} is over ${ceiling}, the most family ${name} allows a request (retention.${family.retention.maxRequestedDeletions === undefined ? "maxDeletionsPerRun" : "maxRequestedDeletions"})`,
      });
    }
  }
  return issues;
}
