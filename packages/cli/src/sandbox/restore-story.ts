import { restoreDependencies, restoreVersion } from "@ami-lifecycle/core";
import type { SandboxSession } from "./session";

/**
 * The story's undo: the operator restores the oldest version the sweeps deregistered into the Recycle
 * Bin (`ami-lifecycle restore <family> <version> --apply`), as the operator's role, and the timeline
 * shows what came back and until when the version is held. Nothing recoverable: the story says so.
 */
export async function restoreOneRetirement(session: SandboxSession): Promise<void> {
  const { reactions } = session.deployment.operatorRuntime;
  const target = await oldestRecoverable(session);
  if (!target) {
    session.record({
      region: "all",
      event: "operator looks for a version to restore",
      outcome: "none is recoverable",
    });
    return;
  }
  const result = await restoreVersion(
    restoreDependencies(reactions, target.family),
    target.family,
    target.version,
  );
  const regions = result.regions.map((region) => `${region.region} ${region.imageId} from ${region.from}`);
  session.record({
    region: "all",
    event: `operator runs \`ami-lifecycle restore ${target.family} ${target.version} --apply\``,
    outcome: `restored: ${regions.join("; ")}; active again, held from retirement until ${result.heldUntil}`,
    result,
  });
  await session.pump();
}

async function oldestRecoverable(
  session: SandboxSession,
): Promise<{ family: string; version: number } | undefined> {
  const { registry } = session.deployment.operatorRuntime.reactions;
  for (const family of session.config.families) {
    for (const version of await registry.listVersions(family.name)) {
      if (Object.values(version.regions).some((region) => region.state === "recoverable"))
        return { family: family.name, version: version.version };
    }
  }
  return undefined;
}
