import type { FamilyConfig } from "../config";
import type { ReactionLog } from "../dependencies";
import { ImageNotFoundError } from "../errors";
import type { ImageRecord, RegionImageRecord, VersionRecord } from "../model";
import type {
  Clock,
  ImageService,
  ImageSharingService,
  Notifier,
  OnceClaims,
  RestoreRecords,
  VersionCatalog,
  VersionRecorder,
} from "../ports";
import { retiredTag } from "./ports";
import { publicImageRefusal } from "./public-image";
import { RestoreRefusedError, RestoreTargetError, type UnrestorableRegion } from "./restore-errors";
import type { RestoreService } from "./restore-ports";

/** What a restore needs: the registry, EC2 (images, sharing, the bin), the notifier, a clock and a sleep. */
export interface RestoreDependencies {
  config: { families: readonly FamilyConfig[] };
  registry: VersionCatalog & Pick<VersionRecorder, "putRegionImage"> & RestoreRecords & OnceClaims;
  images: ImageService;
  restore: RestoreService;
  /** re-applies recorded launch and snapshot permissions */
  sharing: ImageSharingService;
  notifier: Notifier;
  clock: Clock;
  log: ReactionLog;
  /** waits between polls of recovering snapshots (the simulated clock in tests and the sandbox) */
  sleep?: (ms: number) => Promise<void>;
}

/** The retirement stage one region is restored from, read from the registry and EC2. */
export type RestoreFrom = "deprecated" | "disabled" | "recycle-bin" | "active";

/** One step of a region's restore, in order; each is skipped when EC2 already shows it done. */
export type RestoreAction =
  | "restore-snapshots"
  | "wait-for-snapshots"
  | "restore-image"
  | "enable-image"
  | "cancel-deprecation"
  | "remove-retired-tag"
  | "confirm-sharing"
  | "mark-active";

/** What restore does (plan) or did (apply) in one region. */
export interface RegionRestore {
  region: string;
  imageId: string;
  from: RestoreFrom;
  actions: RestoreAction[];
  /** the binned snapshots restored first */
  snapshotIds?: string[];
  /** state "recoverable": the bin keeps the image until then */
  recoverableUntil?: string;
}

/** A restore's plan: every region to act on, checked before anything changes. */
export interface RestorePlan {
  family: string;
  version: number;
  withdrawn: boolean;
  regions: RegionRestore[];
}

/** The family's config, or RestoreTargetError. */
export function restoreFamily(deps: RestoreDependencies, familyName: string): FamilyConfig {
  const family = deps.config.families.find((candidate) => candidate.name === familyName);
  if (!family) throw new RestoreTargetError(familyName, "family is not configured");
  return family;
}

/**
 * Reads the registry and EC2 (never writes) and says, per region, what restoring the version takes.
 * Every region is checked first: when any cannot be restored (past its recovery date, snapshots gone,
 * image gone) RestoreRefusedError names each of them, and nothing has been changed.
 */
export async function planRestore(
  deps: RestoreDependencies,
  familyName: string,
  versionNumber: number,
  options: { region?: string } = {},
): Promise<{ plan: RestorePlan; record: VersionRecord; family: FamilyConfig }> {
  const family = restoreFamily(deps, familyName);
  const record = await deps.registry.getVersion(family.name, versionNumber);
  if (!record) throw new RestoreTargetError(family.name, `v${versionNumber} is not registered`);
  const regionRecords = Object.values(record.regions)
    .filter((region) => region.imageId && restorableStates.has(region.state))
    .filter((region) => options.region === undefined || region.region === options.region)
    .sort((a, b) => a.region.localeCompare(b.region));
  if (options.region !== undefined && regionRecords.length === 0) {
    throw new RestoreTargetError(family.name, `v${versionNumber} has no image in ${options.region}`);
  }
  const regions: RegionRestore[] = [];
  const refused: UnrestorableRegion[] = [];
  const now = deps.clock.now().getTime();
  for (const regionRecord of regionRecords) {
    const planned = await planRegion(deps, record, regionRecord, now);
    if ("missing" in planned) refused.push(planned);
    else regions.push(planned);
  }
  if (refused.length > 0) throw new RestoreRefusedError(family.name, versionNumber, refused);
  return {
    plan: { family: family.name, version: versionNumber, withdrawn: !!record.withdrawn, regions },
    record,
    family,
  };
}

/** Region states with an image a restore can act on or must refuse; pending and failed ones are skipped. */
const restorableStates = new Set<RegionImageRecord["state"]>([
  "available",
  "disabled",
  "recoverable",
  "deregistered",
  "missing",
]);

async function planRegion(
  deps: RestoreDependencies,
  version: VersionRecord,
  record: RegionImageRecord,
  nowMs: number,
): Promise<RegionRestore | UnrestorableRegion> {
  const { region } = record;
  const imageId = record.imageId as string;
  const refuse = (missing: string): UnrestorableRegion => ({ region, imageId, missing });
  if (record.state === "deregistered" || record.state === "missing") {
    return refuse(
      `${imageId} is gone for good (deregistered without the Recycle Bin, or past its recovery date)`,
    );
  }
  const image = await deps.images.describeImage(region, imageId);
  if (record.state === "recoverable") {
    // A restore killed after RestoreImageFromRecycleBin finds the image registered again: resume after
    // it whatever the date, which bounds only what the bin keeps, and EC2 says this image left the bin.
    if (image && image.state !== "deregistered")
      return refuseWhilePublic(deps, afterImageBack(record, image, "recycle-bin", []), image);
    const until = Date.parse(record.recoverableUntil ?? "");
    if (!(until > nowMs)) {
      return refuse(
        `${imageId} was restorable until ${record.recoverableUntil ?? "an unknown date"}, which has passed`,
      );
    }
    return planFromBin(deps, record, image);
  }
  if (!image || image.state === "deregistered") return refuse(`${imageId} no longer exists in EC2`);
  const from: RestoreFrom =
    image.state === "disabled" || record.state === "disabled"
      ? "disabled"
      : image.deprecationTime || version.stage !== "active"
        ? "deprecated"
        : "active";
  return refuseWhilePublic(
    deps,
    afterImageBack(record, image, from, image.state === "disabled" ? ["enable-image"] : []),
    image,
  );
}

/**
 * The planned region, or its refusal when the deprecation must be cancelled while EC2 says the image is
 * public: refused before anything runs, so no region is left half-restored. A disabled image is skipped:
 * DisableImage removed its launch permissions and EnableImage gives none back, so it is private then.
 */
async function refuseWhilePublic(
  deps: RestoreDependencies,
  planned: RegionRestore,
  image: ImageRecord,
): Promise<RegionRestore | UnrestorableRegion> {
  if (!planned.actions.includes("cancel-deprecation") || image.state === "disabled") return planned;
  try {
    return (await publicImageRefusal(deps.sharing, planned.region, planned.imageId)) ?? planned;
  } catch (error) {
    if (!(error instanceof ImageNotFoundError)) throw error;
    return {
      region: planned.region,
      imageId: planned.imageId,
      missing: `${planned.imageId} no longer exists in EC2`,
    };
  }
}

async function planFromBin(
  deps: RestoreDependencies,
  record: RegionImageRecord,
  image: ImageRecord | undefined,
): Promise<RegionRestore | UnrestorableRegion> {
  const { region } = record;
  const imageId = record.imageId as string;
  const bin = await deps.restore.binContents(region, imageId, record.snapshotIds);
  if (!bin.imageBinned) {
    return { region, imageId, missing: `${imageId} is no longer in the Recycle Bin` };
  }
  const outside = record.snapshotIds.filter((id) => !bin.binnedSnapshots.has(id));
  const states = outside.length > 0 ? await deps.restore.snapshotStates(region, outside) : new Map();
  const gone = outside.filter((id) => !states.has(id));
  if (gone.length > 0) {
    return {
      region,
      imageId,
      missing: `snapshot${gone.length > 1 ? "s" : ""} ${gone.join(", ")} of ${imageId} ${gone.length > 1 ? "are" : "is"} neither in the Recycle Bin nor in EC2: the image can never be restored`,
    };
  }
  const binned = record.snapshotIds.filter((id) => bin.binnedSnapshots.has(id));
  const waiting = binned.length > 0 || outside.some((id) => states.get(id) !== "completed");
  const actions: RestoreAction[] = [
    ...(binned.length > 0 ? (["restore-snapshots"] as const) : []),
    ...(waiting ? (["wait-for-snapshots"] as const) : []),
    "restore-image",
  ];
  const planned = afterImageBack(record, image, "recycle-bin", actions);
  return binned.length > 0 ? { ...planned, snapshotIds: binned } : planned;
}

/** The steps once the image is registered again: deprecation, the retired tag, sharing, the registry. */
function afterImageBack(
  record: RegionImageRecord,
  image: ImageRecord | undefined,
  from: RestoreFrom,
  before: RestoreAction[],
): RegionRestore {
  // A binned image's tags and deprecation are not listed: assume both until EC2 shows it back.
  const back = image && image.state !== "deregistered" ? image : undefined;
  const actions: RestoreAction[] = [...before];
  if (!back || back.deprecationTime) actions.push("cancel-deprecation");
  if (!back || back.tags[retiredTag.key] !== undefined) actions.push("remove-retired-tag");
  if (record.recordedSharing) actions.push("confirm-sharing");
  if (record.state !== "available" || record.recordedSharing || record.recoverableUntil || record.retiredBy)
    actions.push("mark-active");
  return {
    region: record.region,
    imageId: record.imageId as string,
    from,
    actions,
    ...(record.recoverableUntil ? { recoverableUntil: record.recoverableUntil } : {}),
  };
}
