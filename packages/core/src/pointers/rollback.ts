import type { FamilyConfig } from "../config";
import type { ReactionDependencies } from "../dependencies";
import type { VersionRecord } from "../model";
import { notifyOnce } from "../notifications/once";
import { versionNotification } from "../notifications/version-messages";
import type { ImagePointers, OnceClaims, RollbackDecisions, VersionCatalog, VersionRecorder } from "../ports";
import { channelRefusal } from "./channel-refusal";
import { PointerTargetError, WithdrawnVersionError } from "./errors";
import { assertLatestPointer, availableIn, builtAfter, type PointerMove, regionsOf } from "./latest";
import { pointerName } from "./names";
import { protectAfterMoves } from "./protect-pointed";
import type { RollbackDecision } from "./rollback-decision";

/**
 * What rollback and promote need: the pointers, the deregistration protection of what they name (with
 * the EC2 reads that check an image is the family's), the notifier, the registry's versions, decisions
 * and claims. Pointers are always on (config `pointers`), so protection is never optional: the handler
 * and the operator's CLI both protect what they point at.
 */
export type PointerDependencies = Pick<
  ReactionDependencies,
  "config" | "notifier" | "log" | "protection" | "images" | "clock"
> & {
  pointers: ImagePointers;
  registry: VersionCatalog &
    Pick<VersionRecorder, "setWithdrawn" | "putRegionImage"> &
    RollbackDecisions &
    OnceClaims;
};

/** Options of rollback: the version to go back to (default: the previous available one), and force. */
export interface RollbackOptions {
  to?: number;
  /** allows going back to a version that is itself withdrawn (it is restored) */
  force?: boolean;
  /**
   * Identifies the request across its retries (the rollback Lambda passes its request id, which Lambda
   * keeps when it retries): the first attempt's decision is recorded under it and every retry applies
   * that decision and only re-sends the notification. Without it (an operator at the CLI, not retried)
   * the rollback is decided afresh.
   */
  requestId?: string;
}

/** What a rollback did. */
export interface RollbackResult {
  family: string;
  /** the version `latest` points at now */
  target: number;
  /** versions newly marked withdrawn (newer than the target) */
  withdrawn: number[];
  /** true when the target was withdrawn and `force` restored it */
  restored: boolean;
  pointers: PointerMove[];
}

/**
 * Rolls a family back: every non-withdrawn version newer than the target is marked `withdrawn` (never
 * promoted again, retired first by the next enforce sweep) and each region's `latest` pointer is moved
 * to the newest remaining available version, the target wherever it exists. Without `to` the target is
 * the previous available version before the current latest. Withdrawing happens first, so an event of a
 * bad version delivered meanwhile cannot re-promote it. With a `requestId` the decision is recorded
 * before anything moves and a retry of the same request applies it once (see RollbackOptions).
 */
export async function rollback(
  deps: PointerDependencies,
  familyName: string,
  options: RollbackOptions = {},
): Promise<RollbackResult> {
  const family = configuredFamily(deps, familyName);
  const decision = await decide(deps, family.name, options);
  const pointers = decision.pointers ?? (await apply(deps, family.name, decision));
  // On every attempt, recorded moves too: a retry finishes protection an interrupted attempt left undone.
  await protectAfterMoves(deps, family, pointers);
  const result: RollbackResult = {
    family: family.name,
    target: decision.target,
    withdrawn: decision.withdrawn,
    restored: decision.restored,
    pointers,
  };
  const target = await deps.registry.getVersion(family.name, decision.target);
  if (!target) throw new PointerTargetError(family.name, `v${decision.target} is not registered`);
  const notification = rollbackNotification(family, target, result);
  // A failed publish fails the attempt; its retry finds the decision applied and only sends this.
  if (options.requestId) await notifyOnce(deps, `rolled-back:${options.requestId}`, notification);
  else await deps.notifier.publish(notification);
  deps.log.info("family rolled back", { ...result });
  return result;
}

/** The request's recorded decision, or a new one (recorded first when the request has an id). */
async function decide(
  deps: PointerDependencies,
  family: string,
  options: RollbackOptions,
): Promise<RollbackDecision> {
  const { requestId } = options;
  const recorded = requestId ? await deps.registry.getRollbackDecision(requestId) : undefined;
  if (recorded) return sameFamily(recorded, family);
  const versions = await deps.registry.listVersions(family);
  const target = rollbackTarget(family, versions, options);
  const decision: RollbackDecision = {
    requestId: requestId ?? "",
    family,
    target: target.version,
    withdrawn: versions
      .filter((version) => builtAfter(version, target) && !version.withdrawn)
      .map((version) => version.version),
    restored: target.withdrawn === true,
  };
  if (!requestId) return decision;
  return sameFamily(await deps.registry.recordRollbackDecision(decision), family);
}

function sameFamily(decision: RollbackDecision, family: string): RollbackDecision {
  if (decision.family !== family) {
    throw new PointerTargetError(
      family,
      `request ${decision.requestId} already rolled back family ${decision.family}`,
    );
  }
  return decision;
}

/** Withdraws, restores and moves the pointers as decided (each step idempotent); returns the moves. */
async function apply(
  deps: PointerDependencies,
  family: string,
  decision: RollbackDecision,
): Promise<PointerMove[]> {
  for (const version of decision.withdrawn) await deps.registry.setWithdrawn(family, version, true);
  if (decision.restored) await deps.registry.setWithdrawn(family, decision.target, false);
  const after = (await deps.registry.listVersions(family)).map((version) => ({
    ...version,
    withdrawn:
      version.version === decision.target
        ? false
        : version.withdrawn === true || decision.withdrawn.includes(version.version),
  }));
  const pointers: PointerMove[] = [];
  for (const region of regionsOf(after)) {
    const move = await assertLatestPointer(
      deps.pointers,
      deps.config.pointers.namePattern,
      family,
      after,
      region,
    );
    if (move) pointers.push(move);
  }
  if (decision.requestId) await deps.registry.markRollbackApplied(decision.requestId, pointers);
  return pointers;
}

/** Options of promote. */
export interface PromoteOptions {
  /** allows pointing the channel at a withdrawn version */
  force?: boolean;
}

/** What a promotion did. */
export interface PromoteResult {
  family: string;
  channel: string;
  version: number;
  pointers: PointerMove[];
}

/**
 * Moves a pinned channel (one of the family's `channels`, such as `stable`) to a version, in every region
 * where that version is available. `latest` is not pinned: it follows the versions, and `rollback` moves it.
 */
export async function promote(
  deps: PointerDependencies,
  familyName: string,
  channel: string,
  versionNumber: number,
  options: PromoteOptions = {},
): Promise<PromoteResult> {
  const family = configuredFamily(deps, familyName);
  const refusal = channelRefusal(family, channel);
  if (refusal) throw refusal;
  const version = await deps.registry.getVersion(family.name, versionNumber);
  if (!version) throw new PointerTargetError(family.name, `v${versionNumber} is not registered`);
  if (version.withdrawn && !options.force) throw new WithdrawnVersionError(family.name, version.version);
  const regions = Object.keys(version.regions)
    .filter((region) => availableIn(version, region))
    .sort();
  if (regions.length === 0)
    throw new PointerTargetError(family.name, `v${versionNumber} is available in no region`);
  const name = pointerName(deps.config.pointers.namePattern, family.name, channel);
  const pointers: PointerMove[] = [];
  for (const region of regions) {
    const imageId = version.regions[region]?.imageId as string;
    const current = await deps.pointers.getPointer(region, name);
    if (current === imageId) continue;
    await deps.pointers.putPointer(region, name, imageId);
    pointers.push({
      region,
      name,
      version: version.version,
      imageId,
      ...(current ? { previousImageId: current } : {}),
    });
  }
  await protectAfterMoves(deps, family, pointers);
  deps.log.info("channel promoted", { family: family.name, channel, version: version.version });
  return { family: family.name, channel, version: version.version, pointers };
}

function configuredFamily(deps: PointerDependencies, name: string): FamilyConfig {
  const family = deps.config.families.find((candidate) => candidate.name === name);
  if (!family) throw new PointerTargetError(name, "family is not configured");
  return family;
}

function rollbackTarget(
  family: string,
  versions: readonly VersionRecord[],
  options: RollbackOptions,
): VersionRecord {
  const live = (version: VersionRecord) =>
    Object.keys(version.regions).some((region) => availableIn(version, region));
  if (options.to !== undefined) {
    const target = versions.find((version) => version.version === options.to);
    if (!target) throw new PointerTargetError(family, `v${options.to} is not registered`);
    if (!live(target)) throw new PointerTargetError(family, `v${options.to} is available in no region`);
    if (target.withdrawn && !options.force) throw new WithdrawnVersionError(family, target.version);
    return target;
  }
  // Build order, not number order: adopted images are numbered after builds newer than them.
  const candidates = versions
    .filter((version) => !version.withdrawn && live(version))
    .sort((a, b) => (builtAfter(a, b) ? 1 : builtAfter(b, a) ? -1 : 0));
  const current = candidates.at(-1);
  const previous = candidates.at(-2);
  if (!current || !previous)
    throw new PointerTargetError(family, "no earlier available, non-withdrawn version to roll back to");
  return previous;
}

function rollbackNotification(family: FamilyConfig, target: VersionRecord, result: RollbackResult) {
  const withdrawn = result.withdrawn.map((version) => `v${version}`).join(", ");
  return versionNotification("rolled-back", family, target, target.sourceRegion, {
    reason: withdrawn ? `${withdrawn} withdrawn` : "pointers re-asserted",
    regions: result.pointers.map((move) => move.region),
  });
}
