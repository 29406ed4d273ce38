import { restoreDependencies, restoreVersion } from "@ami-lifecycle/core";
import type { SandboxSession } from "./session";

/**
 * The operator undoes one retirement: the oldest version of `family` the sweeps put into the Recycle Bin
 * is restored the way `ami-lifecycle restore <family> <version> --apply` does it (the same core use case
 * over the operator's ports), and the story says what came back and until when it is held.
 */
export async function restoreOneRetirement(session: SandboxSession, family: string): Promise<void> {
  const { reactions } = session.deployment.operatorRuntime;
  const versions = await reactions.registry.listVersions(family);
  const binned = versions.find((version) =>
    Object.values(version.regions).some((region) => region.state === "recoverable"),
  );
  if (!binned) {
    session.record({
      region: "all",
      event: `no version of ${family} is in the Recycle Bin`,
      status: "ignored",
    });
    return;
  }
  const result = await restoreVersion(restoreDependencies(reactions), family, binned.version);
  const regions = result.regions.map(
    (region) => `${region.region} ${region.imageId} from ${region.from}: ${region.actions.join(", ")}`,
  );
  session.record({
    region: "all",
    event: `operator runs \`ami-lifecycle restore ${family} ${binned.version} --apply\``,
    outcome: [
      `${family} v${binned.version} is active again, held from retirement until ${result.heldUntil}`,
      ...regions,
    ].join("\n"),
    result,
  });
  await session.pump();
}
