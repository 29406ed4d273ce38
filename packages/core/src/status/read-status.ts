import type { Config } from "../config";
import type { VersionRecord } from "../model";
import { latestPointerName } from "../pointers/names";
import type { Clock, ImagePointers, VersionCatalog } from "../ports";
import { assessStatus, pointerRegions, type ServiceStatus } from "./assess";
import type { OperationsReader, SweepRun } from "./ports";

/** What `readStatus` reads from; each a port, so the sandbox and a deployed stage share the code. */
export interface StatusDependencies {
  config: Config;
  clock: Clock;
  registry: Pick<VersionCatalog, "listVersions">;
  /** every family has `latest` (config `pointers`): status always reads it */
  pointers: Pick<ImagePointers, "getPointer">;
  operations: OperationsReader;
  /** the last scheduled sweep; absent when the target does not record its sweeps */
  lastSweep?: () => Promise<SweepRun | undefined>;
}

/** Reads everything status needs (only reads: status never changes the service) and assesses it. */
export async function readStatus(deps: StatusDependencies): Promise<ServiceStatus> {
  const versions = new Map<string, VersionRecord[]>();
  const pointers: { family: string; region: string; name: string; imageId: string | undefined }[] = [];
  for (const family of deps.config.families) {
    const records = await deps.registry.listVersions(family.name);
    versions.set(family.name, records);
    const name = latestPointerName(deps.config.pointers.namePattern, family.name);
    for (const region of pointerRegions(records)) {
      pointers.push({
        family: family.name,
        region,
        name,
        imageId: await deps.pointers.getPointer(region, name),
      });
    }
  }
  const [deadLetters, alarms, lastSweep] = await Promise.all([
    deps.operations.deadLetterDepths(),
    deps.operations.alarmsInAlarm(),
    deps.lastSweep?.(),
  ]);
  return assessStatus({
    now: deps.clock.now(),
    config: deps.config,
    versions,
    pointers,
    deadLetters,
    alarms,
    lastSweep,
  });
}
