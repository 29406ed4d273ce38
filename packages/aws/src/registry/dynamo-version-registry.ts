import {
  blockedAdvance,
  type ClaimLease,
  type Clock,
  type ImageLocation,
  type NewVersion,
  newVersionRecord,
  type PointerMove,
  type RegionImageRecord,
  type RegionImageWrite,
  type RegionWriteOptions,
  type RegistryBatchResult,
  type RegistryBatchWrite,
  RegistryConflictError,
  type RetentionStage,
  type RetiredStage,
  type RollbackDecision,
  stageAdvanceBlocked,
  type VersionRecord,
  type VersionRegistry,
} from "@ami-lifecycle/core";

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { translateAwsError } from "../errors";
import { batchAction, chunkWrites } from "./batch-writes";
import {
  type ClaimLeaseTable,
  completeClaim,
  defaultClaimLeaseSeconds,
  releaseLease,
  takeClaim,
} from "./claim-leases";
import {
  type Backoff,
  backoffDelay,
  type CancellationReason,
  cancellationReasons,
  conditionFailedAt,
  conditionFailedItem,
  defaultBackoff,
  isConditionalCheckFailed,
  isTransactionConflict,
} from "./conditions";
import { reportConsumedCapacity } from "./consumed-capacity";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "./documents";
import { readImageAndCounter } from "./image-and-counter";
import { inlineClaimLease } from "./inline-claims";
import {
  claimKey,
  counterKey,
  familyListKey,
  familyListPartition,
  familyPartition,
  imageClaimItem,
  imageKey,
  regionItem,
  regionKey,
  sharingMarkKey,
  stageDateAttribute,
  stagesBefore,
  toImageLocation,
  toVersionRecords,
  versionItem,
  versionKey,
  versionPrefix,
  versionSortKey,
} from "./items";
import { newestVersions } from "./newest-versions";
import {
  availableClaimKey,
  claimAnswer,
  completeRegionClaim,
  doneRegionClaimKey,
  type RegionClaimLease,
  regionClaimCompletion,
  regionOfAvailableClaim,
  releaseRegionClaim,
  takeRegionClaim,
} from "./region-claims";
import { type ExpectImage, imageConditionHolds, regionUpdate } from "./region-writes";
import {
  completeReplicatedClaim,
  doneReplicatedClaimKey,
  inlineReplicatedAttribute,
  type ReplicatedClaimLease,
  releaseReplicatedLease,
  replicatedClaimKey,
  replicatedCompletion,
  replicatedLeaseAction,
  takeReplicatedClaim,
  versionOfReplicatedClaim,
} from "./replicated-claims";
// Type-only: the decisions' code comes in through `rollbackDecisions`, so only the rollback bundles it.
import type { RollbackDecisionStore, RollbackDecisionTable } from "./rollback-decisions";
import { RollbackDecisionsUnavailableError } from "./rollback-unavailable";
import { registryTtlAttribute } from "./table";
import {
  completeInlineClaim,
  doneInlineClaimKey,
  inlineClaimsAttribute,
  type RegistrationLease,
  registeredClaimAttribute,
  registeredClaimKey,
  releaseInlineLease,
  takeInlineClaim,
  versionOfInlineClaim,
} from "./version-claims";

/** Construction options of DynamoVersionRegistry. */
export interface DynamoVersionRegistryOptions {
  /** a DynamoDB client built once per container (see createClients) */
  client: DynamoDBClient;
  tableName: string;
  /** stamps stageChangedAt and claim times */
  clock: Clock;
  /** Query page size (DynamoDB's Limit); unset reads up to 1 MB per page */
  pageSize?: number;
  /** how long one-time claims are kept before DynamoDB TTL may delete them (default 90 days) */
  claimTtlSeconds?: number;
  /** how long a pending one-time claim keeps other attempts out (default 120 s; see claim-leases.ts) */
  claimLeaseSeconds?: number;
  /** retry policy for counter contention and transaction conflicts */
  backoff?: Partial<Backoff>;
  /**
   * rollback decisions per request (`dynamoRollbackDecisions`), for registries that roll back with a
   * request id (the rollback handler); without it the RollbackDecisions methods refuse
   */
  rollbackDecisions?: RollbackDecisionStore;
}

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

const defaultClaimTtlSeconds = 90 * 24 * 60 * 60;

/** Past this many unused registration leases the memory starts over (a forgotten one is taken over later). */
const registrationLeasesLimit = 100;

/** Past this many remembered done claims the memory starts over (a container's life is hours). */
const knownDoneClaimsLimit = 10_000;

/** Past this many unused prefetched counters the memory starts over. */
const prefetchedCountersLimit = 100;

/** Registrations in one transaction: 3 actions each plus the counter and the family entry, within 100. */
export const registrationsPerTransaction = 32;

/** The version registry on one DynamoDB table (layout in ./table.ts); every write is conditional. */
export class DynamoVersionRegistry implements VersionRegistry {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: Clock;
  private readonly pageSize: number | undefined;
  private readonly claimTtlSeconds: number;
  private readonly backoff: Backoff;
  private readonly leases: ClaimLeaseTable;
  private readonly rollbacks: RollbackDecisionTable;
  private readonly rollbackDecisions: RollbackDecisionStore | undefined;
  /**
   * Inline claims this registry read `done` with their version item. Done is final, so a later take of
   * one of them answers `done` without a write.
   */
  private readonly knownDoneClaims = new Set<string>();
  /**
   * `registered` claims this registry leased by writing them with the version item it registered; the
   * next take of one (the reaction's own notification) uses that lease instead of a write. Taken out
   * once, and only while the lease lasts.
   */
  private readonly registrationLeases = new Map<string, RegistrationLease>();
  /**
   * Version counters read with an image lookup (findByImageId's `familyHint`) or left by this registry's
   * own last registration, for the registration that follows. Used once; a stale one only costs the
   * registration a retry (its counter condition).
   */
  private readonly prefetchedCounters = new Map<string, number>();
  /**
   * `available` claims this registry leased with the region write that recorded the region available;
   * the reaction's own notification takes the lease from here instead of writing. Taken out once.
   */
  private readonly regionLeases = new Map<string, RegionClaimLease>();
  /**
   * `replicated` claims this registry leased with the region write that recorded the last region
   * available; the reaction's own notification takes the lease from here instead of writing. Taken out once.
   */
  private readonly replicatedLeases = new Map<string, ReplicatedClaimLease>();

  constructor(options: DynamoVersionRegistryOptions) {
    this.documents = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    reportConsumedCapacity(this.documents);
    this.tableName = options.tableName;
    this.clock = options.clock;
    this.pageSize = options.pageSize;
    this.claimTtlSeconds = options.claimTtlSeconds ?? defaultClaimTtlSeconds;
    this.backoff = { ...defaultBackoff, ...options.backoff };
    this.leases = {
      documents: this.documents,
      tableName: this.tableName,
      clock: this.clock,
      leaseSeconds: options.claimLeaseSeconds ?? defaultClaimLeaseSeconds,
      ttlSeconds: this.claimTtlSeconds,
    };
    this.rollbacks = {
      documents: this.documents,
      tableName: this.tableName,
      nowSeconds: () => Math.floor(this.clock.now().getTime() / 1000),
      ttlSeconds: this.claimTtlSeconds,
    };
    this.rollbackDecisions = options.rollbackDecisions;
  }

  async registerVersion(input: NewVersion): Promise<{ version: VersionRecord; created: boolean }> {
    // No read of the image claim first: the transaction's claim condition (action 1) finds an image that
    // is already registered, and callers have usually just looked it up themselves.
    const prefetched = this.prefetchedCounters.get(input.family);
    this.prefetchedCounters.delete(input.family);
    let lastVersion = prefetched ?? (await this.readLastVersion(input.family));
    for (let attempt = 1; ; attempt++) {
      const version = newVersionRecord(input, lastVersion + 1);
      const lease = inlineClaimLease(this.leases);
      try {
        await this.documents.send(
          new TransactWriteCommand({
            TransactItems: this.registrationActions(input, version, lastVersion, lease),
          }),
        );
        this.rememberRegistrationLease(input.family, version.version, lease);
        // The counter as this write left it, for the family's next registration (a racer costs it a retry).
        this.rememberCounter(input.family, version.version);
        return { version, created: true };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw translateAwsError("DynamoDB.TransactWriteItems", error);
        // Order of actions: 0 counter, 1 image claim, 2 version item, 3 region item, 4 family entry.
        if (conditionFailedAt(reasons, 1)) {
          const location = await this.imageLocationAfterConflict(input.imageId, reasons[1]);
          return { version: await this.versionOfClaim(input.imageId, location), created: false };
        }
        // A racer that moved the counter also wrote the version item, so action 2 fails with action 0;
        // action 2 failing alone means the counter is behind the versions, which retrying cannot fix.
        if (!conditionFailedAt(reasons, 0) && !isTransactionConflict(reasons)) {
          if (conditionFailedAt(reasons, 2)) {
            throw new RegistryConflictError(
              `counter of family ${input.family} is behind: version ${version.version} already exists`,
            );
          }
          throw translateAwsError("DynamoDB.TransactWriteItems", error);
        }
        if (attempt >= this.backoff.maxAttempts) {
          throw new RegistryConflictError(
            `could not allocate a version of family ${input.family} after ${attempt} attempts`,
            { cause: error },
          );
        }
        await this.backoff.sleep(backoffDelay(this.backoff, attempt));
        const counter = reasons[0]?.item;
        lastVersion =
          typeof counter?.lastVersion === "number"
            ? counter.lastVersion
            : await this.readLastVersion(input.family);
      }
    }
  }

  /**
   * Registers new versions of one family in the order given (consecutive numbers), up to
   * `registrationsPerTransaction` in one transaction with one counter write, instead of a transaction
   * each. A transaction cancelled by any condition (an image registered meanwhile, a racer on the
   * counter) wrote nothing; its registrations are then made one by one with registerVersion, which sorts
   * out each conflict as it always does.
   */
  async registerVersions(
    inputs: readonly NewVersion[],
  ): Promise<{ version: VersionRecord; created: boolean }[]> {
    const results: { version: VersionRecord; created: boolean }[] = [];
    for (let start = 0; start < inputs.length; start += registrationsPerTransaction) {
      const chunk = inputs.slice(start, start + registrationsPerTransaction);
      results.push(...(await this.registerChunk(chunk)));
    }
    return results;
  }

  async getVersion(family: string, version: number): Promise<VersionRecord | undefined> {
    const [record] = await this.queryVersions(family, versionSortKey(version));
    return record;
  }

  async listVersions(family: string): Promise<VersionRecord[]> {
    return this.queryVersions(family, versionPrefix);
  }

  newestVersions(family: string): AsyncIterable<VersionRecord> {
    return newestVersions(this.documents, this.tableName, family);
  }

  async listFamilies(): Promise<string[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": familyListPartition },
      ConsistentRead: true,
    });
    return items.map((item) => String(item.family));
  }

  async findByImageId(
    imageId: string,
    options: { familyHint?: string } = {},
  ): Promise<ImageLocation | undefined> {
    const family = options.familyHint;
    if (family === undefined) {
      const item = await this.getItem("DynamoDB.GetItem", imageKey(imageId));
      return item ? toImageLocation(item) : undefined;
    }
    const { imageItem, lastVersion } = await readImageAndCounter(
      this.documents,
      this.tableName,
      imageId,
      family,
    );
    if (imageItem) return toImageLocation(imageItem);
    if (this.prefetchedCounters.size >= prefetchedCountersLimit) this.prefetchedCounters.clear();
    this.prefetchedCounters.set(family, lastVersion);
    return undefined;
  }

  async putRegionImage(
    family: string,
    version: number,
    record: RegionImageRecord,
    options: RegionWriteOptions = {},
  ): Promise<boolean> {
    const at = { family, version, region: record.region };
    let clear = options.clearProtectionOf;
    const replicatedKey = replicatedClaimKey(family, version);
    // Core names the region's `available` claim when this write records that transition; no other write takes it.
    let regionLease = options.leaseClaims?.includes(availableClaimKey(at))
      ? inlineClaimLease(this.leases)
      : undefined;
    let replicatedLease = options.leaseClaims?.includes(replicatedKey)
      ? inlineClaimLease(this.leases)
      : undefined;
    for (;;) {
      const reasons = await this.transactWithConflictRetries([
        // The `replicated` lease's update of the version item also checks that the version exists.
        replicatedLease
          ? replicatedLeaseAction(this.tableName, { family, version }, replicatedLease)
          : versionExists(this.tableName, family, version),
        ...regionImageActions(this.tableName, family, version, record, options, regionLease),
        ...(clear
          ? [protectionMarkerClear(this.tableName, family, record.region, clear, record.updatedAt)]
          : []),
      ]);
      // The left image's region no longer holds it: its marker is not this write's to clear, the record is.
      if (reasons && clear && conditionFailedAt(reasons, reasons.length - 1)) {
        clear = undefined;
        continue;
      }
      if (!reasons) {
        if (regionLease) this.rememberRegionLease(at, regionLease);
        if (replicatedLease) this.rememberReplicatedLease(replicatedKey, replicatedLease);
        return true;
      }
      // Only claims refused (held or done already): the region is written again without taking them.
      const refused = this.refusedLeases(reasons, options, at, {
        region: regionLease !== undefined,
        replicated: replicatedLease !== undefined,
      });
      if (refused) {
        if (refused.region) regionLease = undefined;
        if (refused.replicated) replicatedLease = undefined;
        continue;
      }
      if (conditionFailedAt(reasons, 0)) {
        throw new RegistryConflictError(`version ${version} of family ${family} does not exist`);
      }
      if (conditionFailedAt(reasons, 2)) {
        throw new RegistryConflictError(
          `image ${record.imageId} already belongs to another version or region`,
        );
      }
      return false;
    }
  }

  async putRegionImages(
    family: string,
    version: number,
    writes: readonly RegionImageWrite[],
  ): Promise<boolean[]> {
    // One transaction, one version check: the same writes and conditions as putRegionImage each, one
    // round trip, no claim leased (the port's writes carry none).
    const actions: TransactItem[] = [versionExists(this.tableName, family, version)];
    for (const { record, expectImageId } of writes) {
      const options = expectImageId !== undefined ? { expectImageId } : {};
      actions.push(...regionImageActions(this.tableName, family, version, record, options));
    }
    const reasons = await this.transactWithConflictRetries(actions);
    if (!reasons) return writes.map(() => true);
    // Some condition failed and the transaction wrote nothing: each write alone says which ones lost.
    const recorded: boolean[] = [];
    for (const { record, expectImageId } of writes) {
      const options = expectImageId !== undefined ? { expectImageId } : {};
      recorded.push(await this.putRegionImage(family, version, record, options));
    }
    return recorded;
  }

  async writeBatch(family: string, writes: readonly RegistryBatchWrite[]): Promise<RegistryBatchResult[]> {
    const results: (RegistryBatchResult | undefined)[] = writes.map(() => undefined);
    const now = this.clock.now().toISOString();
    for (const chunk of chunkWrites(family, writes)) {
      const actions: TransactItem[] = [];
      const transacted: number[] = [];
      for (const index of chunk) {
        const write = writes[index] as RegistryBatchWrite;
        if (stageAdvanceBlocked(writes, results, index)) {
          results[index] = blockedAdvance(family, write.version);
          continue;
        }
        const action = batchAction(this.tableName, family, write, now);
        if (action) {
          actions.push(action);
          transacted.push(index);
        }
      }
      let reasons: CancellationReason[] | undefined;
      try {
        reasons = actions.length > 0 ? await this.transactWithConflictRetries(actions) : [];
      } catch (error) {
        for (const index of transacted) results[index] = { ok: false, error };
        continue;
      }
      if (!reasons) {
        for (const index of transacted) results[index] = { ok: true, written: true };
        continue;
      }
      // A condition failed and the transaction wrote nothing: each write alone says which ones hold, so
      // one raced item does not keep the others from being recorded.
      for (const index of chunk) {
        if (results[index]) continue;
        const write = writes[index] as RegistryBatchWrite;
        results[index] = stageAdvanceBlocked(writes, results, index)
          ? blockedAdvance(family, write.version)
          : await this.writeOne(family, write);
      }
    }
    return results as RegistryBatchResult[];
  }

  async advanceStage(family: string, version: number, stage: RetentionStage): Promise<boolean> {
    const from = stagesBefore(stage);
    if (from.length === 0) {
      await this.requireVersion(family, version);
      return false;
    }
    const values: Record<string, unknown> = { ":stage": stage, ":now": this.clock.now().toISOString() };
    from.forEach((earlier, index) => {
      values[`:from${index}`] = earlier;
    });
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: versionKey(family, version),
          UpdateExpression: "SET #stage = :stage, stageChangedAt = :now, #stageDate = :now",
          ConditionExpression: `attribute_exists(pk) AND #stage IN (${from.map((_, index) => `:from${index}`).join(", ")})`,
          ExpressionAttributeNames: {
            "#stage": "stage",
            "#stageDate": stageDateAttribute(stage as RetiredStage),
          },
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw translateAwsError("DynamoDB.UpdateItem", error);
      if (!conditionFailedItem(error)) await this.requireVersion(family, version);
      return false;
    }
  }

  async restoreVersion(
    family: string,
    version: number,
    hold: { restoredAt: string; heldUntil: string },
  ): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: versionKey(family, version),
          // The one move backwards: a restore; the stage dates stay (the report draws the retirement undone).
          UpdateExpression:
            "SET #stage = :active, stageChangedAt = :restoredAt, restoredAt = :restoredAt, heldUntil = :heldUntil",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeNames: { "#stage": "stage" },
          ExpressionAttributeValues: {
            ":active": "active",
            ":restoredAt": hold.restoredAt,
            ":heldUntil": hold.heldUntil,
          },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new RegistryConflictError(`version ${version} of family ${family} does not exist`, {
          cause: error,
        });
      }
      throw translateAwsError("DynamoDB.UpdateItem", error);
    }
  }

  async recordCreator(family: string, version: number, createdBy: string): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: versionKey(family, version),
          UpdateExpression: "SET createdBy = :createdBy",
          ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(createdBy)",
          ExpressionAttributeValues: { ":createdBy": createdBy },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw translateAwsError("DynamoDB.UpdateItem", error);
      if (!conditionFailedItem(error)) {
        throw new RegistryConflictError(`version ${version} of family ${family} does not exist`, {
          cause: error,
        });
      }
      return false;
    }
  }

  async sharingGranted(family: string): Promise<boolean> {
    return (await this.getItem("DynamoDB.GetItem", sharingMarkKey(family))) !== undefined;
  }

  async setSharingGranted(family: string, granted: boolean): Promise<void> {
    try {
      if (granted) {
        await this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...sharingMarkKey(family), entity: "sharing", family },
          }),
        );
      } else {
        await this.documents.send(
          new DeleteCommand({ TableName: this.tableName, Key: sharingMarkKey(family) }),
        );
      }
    } catch (error) {
      throw translateAwsError(granted ? "DynamoDB.PutItem" : "DynamoDB.DeleteItem", error);
    }
  }

  async setWithdrawn(family: string, version: number, withdrawn: boolean): Promise<void> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: versionKey(family, version),
          // withdrawnAt marks the rollback on the report's lifelines (the first one, if repeated).
          UpdateExpression: withdrawn
            ? "SET withdrawn = :withdrawn, withdrawnAt = if_not_exists(withdrawnAt, :now)"
            : "SET withdrawn = :withdrawn",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: {
            ":withdrawn": withdrawn,
            ...(withdrawn ? { ":now": this.clock.now().toISOString() } : {}),
          },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new RegistryConflictError(`version ${version} of family ${family} does not exist`, {
          cause: error,
        });
      }
      throw translateAwsError("DynamoDB.UpdateItem", error);
    }
  }

  async setMarker(key: string): Promise<boolean> {
    const now = this.clock.now();
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...claimKey(key),
            entity: "claim",
            claimedAt: now.toISOString(),
            [registryTtlAttribute]: Math.floor(now.getTime() / 1000) + this.claimTtlSeconds,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw translateAwsError("DynamoDB.PutItem", error);
    }
  }

  async clearMarker(key: string): Promise<void> {
    try {
      await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: claimKey(key) }));
    } catch (error) {
      throw translateAwsError("DynamoDB.DeleteItem", error);
    }
  }

  async takeClaim(key: string): Promise<ClaimLease> {
    const atRegion = regionOfAvailableClaim(key);
    if (atRegion) {
      if (this.knownDoneClaims.has(key)) return { state: "done" };
      const written = this.regionLeases.get(key);
      this.regionLeases.delete(key);
      if (written && this.clock.now().getTime() < written.leaseUntil) {
        return { state: "taken", leaseId: written.leaseId };
      }
      return (await takeRegionClaim(this.leases, atRegion)) ?? takeClaim(this.leases, key);
    }
    const replicated = versionOfReplicatedClaim(key);
    if (replicated) {
      if (this.knownDoneClaims.has(key)) return { state: "done" };
      const written = this.replicatedLeases.get(key);
      this.replicatedLeases.delete(key);
      if (written && this.clock.now().getTime() < written.leaseUntil) {
        return { state: "taken", leaseId: written.leaseId };
      }
      return (await takeReplicatedClaim(this.leases, replicated)) ?? takeClaim(this.leases, key);
    }
    const inline = versionOfInlineClaim(key);
    if (inline && this.knownDoneClaims.has(key)) return { state: "done" };
    const registered = this.registrationLeases.get(key);
    this.registrationLeases.delete(key);
    if (registered && this.clock.now().getTime() < registered.leaseUntil) {
      return { state: "taken", leaseId: registered.leaseId };
    }
    const lease = inline && (await takeInlineClaim(this.leases, inline));
    return lease || takeClaim(this.leases, key);
  }

  async completeClaim(key: string): Promise<void> {
    const atRegion = regionOfAvailableClaim(key);
    if (atRegion && (await completeRegionClaim(this.leases, atRegion))) return;
    const replicated = versionOfReplicatedClaim(key);
    if (replicated && (await completeReplicatedClaim(this.leases, replicated))) return;
    const inline = versionOfInlineClaim(key);
    if (inline && (await completeInlineClaim(this.leases, inline))) return;
    await completeClaim(this.leases, key);
  }

  async releaseLease(key: string, leaseId: string): Promise<void> {
    const atRegion = regionOfAvailableClaim(key);
    if (atRegion && (await releaseRegionClaim(this.leases, atRegion, leaseId))) return;
    const replicated = versionOfReplicatedClaim(key);
    if (replicated && (await releaseReplicatedLease(this.leases, replicated, leaseId))) return;
    const inline = versionOfInlineClaim(key);
    if (inline && (await releaseInlineLease(this.leases, inline, leaseId))) return;
    await releaseLease(this.leases, key, leaseId);
  }

  async completeClaims(keys: readonly string[]): Promise<void> {
    const updates = keys.map((key) => this.inlineCompletion(key));
    const inline = updates.filter((update) => update !== undefined);
    // One write for all of them when each lives on an item; a claim item, or a refused condition (a
    // region without the attribute), completes each on its own path.
    if (keys.length > 1 && inline.length === keys.length) {
      const reasons = await this.transactWithConflictRetries(inline.map((Update) => ({ Update })));
      if (!reasons) return;
    }
    for (const key of keys) await this.completeClaim(key);
  }

  async getRollbackDecision(requestId: string): Promise<RollbackDecision | undefined> {
    return this.rollbackStore().get(this.rollbacks, requestId);
  }

  async recordRollbackDecision(decision: RollbackDecision): Promise<RollbackDecision> {
    return this.rollbackStore().record(this.rollbacks, decision);
  }

  async markRollbackApplied(requestId: string, pointers: PointerMove[]): Promise<void> {
    return this.rollbackStore().markApplied(this.rollbacks, requestId, pointers);
  }

  private rollbackStore(): RollbackDecisionStore {
    if (!this.rollbackDecisions) throw new RollbackDecisionsUnavailableError();
    return this.rollbackDecisions;
  }

  async hasMarker(key: string): Promise<boolean> {
    return (await this.getItem("DynamoDB.GetItem", claimKey(key))) !== undefined;
  }

  /** One transaction of registerVersions; the chunk one by one when it does not go through whole. */
  private async registerChunk(
    chunk: readonly NewVersion[],
  ): Promise<{ version: VersionRecord; created: boolean }[]> {
    const family = chunk[0]?.family;
    const oneByOne = async () => {
      const results: { version: VersionRecord; created: boolean }[] = [];
      for (const input of chunk) results.push(await this.registerVersion(input));
      return results;
    };
    // A transaction touches an item once: another family or an image twice goes the single way.
    if (
      family === undefined ||
      chunk.some((input) => input.family !== family) ||
      new Set(chunk.map((input) => input.imageId)).size < chunk.length
    ) {
      return oneByOne();
    }
    const prefetched = this.prefetchedCounters.get(family);
    this.prefetchedCounters.delete(family);
    const lastVersion = prefetched ?? (await this.readLastVersion(family));
    const versions = chunk.map((input, index) => newVersionRecord(input, lastVersion + 1 + index));
    const leases = chunk.map(() => inlineClaimLease(this.leases));
    const newLast = lastVersion + chunk.length;
    const actions: TransactItem[] = [
      this.counterAction(family, lastVersion, newLast),
      ...chunk.flatMap((input, index) =>
        this.versionActions(input, versions[index] as VersionRecord, leases[index] as RegistrationLease),
      ),
      this.familyEntryAction(family),
    ];
    try {
      await this.documents.send(new TransactWriteCommand({ TransactItems: actions }));
    } catch (error) {
      if (!cancellationReasons(error)) throw translateAwsError("DynamoDB.TransactWriteItems", error);
      const counter = cancellationReasons(error)?.[0]?.item;
      if (typeof counter?.lastVersion === "number") this.rememberCounter(family, counter.lastVersion);
      return oneByOne();
    }
    for (const [index, version] of versions.entries()) {
      this.rememberRegistrationLease(family, version.version, leases[index] as RegistrationLease);
    }
    this.rememberCounter(family, newLast);
    return versions.map((version) => ({ version, created: true }));
  }

  /** The five writes of one registration; the counter condition pins the version number read before. */
  private registrationActions(
    input: NewVersion,
    version: VersionRecord,
    lastVersion: number,
    lease: RegistrationLease,
  ): TransactItem[] {
    return [
      this.counterAction(input.family, lastVersion, version.version),
      ...this.versionActions(input, version, lease),
      this.familyEntryAction(input.family),
    ];
  }

  /** The family's counter moved from `lastVersion` (as read) to `newLast`. */
  private counterAction(family: string, lastVersion: number, newLast: number): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...counterKey(family), entity: "counter", family, lastVersion: newLast },
        ...(lastVersion === 0
          ? { ConditionExpression: "attribute_not_exists(pk)" }
          : {
              ConditionExpression: "lastVersion = :lastVersion",
              ExpressionAttributeValues: { ":lastVersion": lastVersion },
            }),
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    };
  }

  /** The family's entry in the list of families. */
  private familyEntryAction(family: string): TransactItem {
    return {
      Put: { TableName: this.tableName, Item: { ...familyListKey(family), entity: "family", family } },
    };
  }

  /** A registration's image claim, version item and source region item. */
  private versionActions(
    input: NewVersion,
    version: VersionRecord,
    lease: RegistrationLease,
  ): TransactItem[] {
    const { regions, ...versionAttributes } = version;
    const sourceRegion = regions[input.region] as RegionImageRecord;
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: imageClaimItem(input.imageId, {
            family: input.family,
            version: version.version,
            region: input.region,
            role: "source",
          }),
          ConditionExpression: "attribute_not_exists(pk)",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        },
      },
      {
        Put: {
          TableName: this.tableName,
          // Its `registered` claim lives on the item (version-claims.ts), leased to this registration.
          Item: {
            ...versionItem(versionAttributes),
            [inlineClaimsAttribute]: true,
            [registeredClaimAttribute]: lease.attribute,
            // Its `replicated` claim lives on the item too (replicated-claims.ts).
            [inlineReplicatedAttribute]: true,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      { Put: { TableName: this.tableName, Item: regionItem(input.family, version.version, sourceRegion) } },
    ];
  }

  /** Keeps the `registered` claim's lease of a registration for the take that follows. */
  private rememberRegistrationLease(family: string, version: number, lease: RegistrationLease): void {
    if (this.registrationLeases.size >= registrationLeasesLimit) this.registrationLeases.clear();
    this.registrationLeases.set(registeredClaimKey(family, version), lease);
  }

  /** Keeps the family's counter as a write of this registry left it, for its next registration. */
  private rememberCounter(family: string, lastVersion: number): void {
    if (this.prefetchedCounters.size >= prefetchedCountersLimit) this.prefetchedCounters.clear();
    this.prefetchedCounters.set(family, lastVersion);
  }

  /** Runs a transaction, retrying while it is cancelled only by conflicts; returns the reasons of a failed condition. */
  private async transactWithConflictRetries(
    actions: TransactItem[],
  ): Promise<CancellationReason[] | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.documents.send(new TransactWriteCommand({ TransactItems: actions }));
        return undefined;
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw translateAwsError("DynamoDB.TransactWriteItems", error);
        if (reasons.some((reason) => reason.code === "ConditionalCheckFailed")) return reasons;
        if (!isTransactionConflict(reasons)) throw translateAwsError("DynamoDB.TransactWriteItems", error);
        if (attempt >= this.backoff.maxAttempts) {
          throw new RegistryConflictError(`transaction still conflicting after ${attempt} attempts`, {
            cause: error,
          });
        }
        await this.backoff.sleep(backoffDelay(this.backoff, attempt));
      }
    }
  }

  /** One write of a batch on its own, with the single write's condition and answer. */
  private async writeOne(family: string, write: RegistryBatchWrite): Promise<RegistryBatchResult> {
    try {
      const written =
        write.kind === "region-image"
          ? await this.putRegionImage(family, write.version, write.record, {
              expectImageId: write.expectImageId,
            })
          : await this.advanceStage(family, write.version, write.stage);
      return { ok: true, written };
    } catch (error) {
      return { ok: false, error };
    }
  }

  private async readLastVersion(family: string): Promise<number> {
    const counter = await this.getItem("DynamoDB.GetItem", counterKey(family));
    return typeof counter?.lastVersion === "number" ? counter.lastVersion : 0;
  }

  private async imageLocationAfterConflict(imageId: string, reason: CancellationReason | undefined) {
    const location = reason?.item ? toImageLocation(reason.item) : await this.findByImageId(imageId);
    if (!location) throw new RegistryConflictError(`image ${imageId} was claimed and released concurrently`);
    return location;
  }

  private async versionOfClaim(imageId: string, location: ImageLocation): Promise<VersionRecord> {
    const version = await this.getVersion(location.family, location.version);
    if (!version) {
      throw new RegistryConflictError(
        `image ${imageId} is claimed by version ${location.version} of ${location.family}, which does not exist`,
      );
    }
    return version;
  }

  private async requireVersion(family: string, version: number): Promise<void> {
    if (!(await this.getItem("DynamoDB.GetItem", versionKey(family, version)))) {
      throw new RegistryConflictError(`version ${version} of family ${family} does not exist`);
    }
  }

  private async queryVersions(family: string, sortKeyPrefix: string): Promise<VersionRecord[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": familyPartition(family), ":prefix": sortKeyPrefix },
      ConsistentRead: true,
    });
    this.rememberDoneClaims(items);
    return toVersionRecords(items);
  }

  /** Keeps a lease taken by a region write for the take that follows (the reaction's notification). */
  private rememberRegionLease(
    at: { family: string; version: number; region: string },
    lease: RegionClaimLease,
  ) {
    if (this.regionLeases.size >= registrationLeasesLimit) this.regionLeases.clear();
    this.regionLeases.set(availableClaimKey(at), lease);
  }

  /** Keeps a `replicated` lease taken by a region write for the take that follows (the reaction's notification). */
  private rememberReplicatedLease(key: string, lease: ReplicatedClaimLease) {
    if (this.replicatedLeases.size >= registrationLeasesLimit) this.replicatedLeases.clear();
    this.replicatedLeases.set(key, lease);
  }

  /** The completion update of a claim kept on an item (a region's `available`, a version's `replicated`). */
  private inlineCompletion(key: string) {
    const atRegion = regionOfAvailableClaim(key);
    if (atRegion) return regionClaimCompletion(this.leases, atRegion);
    const replicated = versionOfReplicatedClaim(key);
    return replicated ? replicatedCompletion(this.leases, replicated) : undefined;
  }

  /**
   * Which leases a failed region write must drop when only claims were refused (held, done, or a version
   * that keeps its claim item); undefined when another condition failed. A claim found done is remembered.
   */
  private refusedLeases(
    reasons: readonly CancellationReason[],
    options: ExpectImage,
    at: { family: string; version: number; region: string },
    leased: { region: boolean; replicated: boolean },
  ): { region: boolean; replicated: boolean } | undefined {
    const refused = { region: false, replicated: false };
    for (const [index, reason] of reasons.entries()) {
      if (reason.code !== "ConditionalCheckFailed") continue;
      if (index === 0 && leased.replicated && reason.item) {
        const key = doneReplicatedClaimKey(reason.item);
        if (key) this.rememberDone(key);
        refused.replicated = true;
      } else if (index === 1 && leased.region && imageConditionHolds(reason.item, options)) {
        if (claimAnswer(reason.item)?.state === "done") this.rememberDone(availableClaimKey(at));
        refused.region = true;
      } else return undefined;
    }
    return refused.region || refused.replicated ? refused : undefined;
  }

  private rememberDone(key: string): void {
    if (this.knownDoneClaims.size >= knownDoneClaimsLimit) this.knownDoneClaims.clear();
    this.knownDoneClaims.add(key);
  }

  private rememberDoneClaims(items: readonly Record<string, unknown>[]): void {
    for (const item of items) {
      const key = doneInlineClaimKey(item) ?? doneRegionClaimKey(item) ?? doneReplicatedClaimKey(item);
      if (!key) continue;
      if (this.knownDoneClaims.size >= knownDoneClaimsLimit) this.knownDoneClaims.clear();
      this.knownDoneClaims.add(key);
    }
  }

  private async queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    try {
      const pages = paginateQuery(
        { client: this.documents, ...(this.pageSize ? { pageSize: this.pageSize } : {}) },
        input,
      );
      for await (const page of pages) items.push(...(page.Items ?? []));
    } catch (error) {
      throw translateAwsError("DynamoDB.Query", error);
    }
    return items;
  }

  private async getItem(operation: string, key: { pk: string; sk: string }) {
    try {
      const { Item } = await this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      return Item;
    } catch (error) {
      throw translateAwsError(operation, error);
    }
  }
}

/** The check that a region write's version exists (first action of every region write). */
function versionExists(tableName: string, family: string, version: number): TransactItem {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: versionKey(family, version),
      ConditionExpression: "attribute_exists(pk)",
    },
  };
}

/**
 * Clears the service's pointer-protection marker of `left` (another version's image in the region), on
 * the condition that the region still holds that image.
 */
function protectionMarkerClear(
  tableName: string,
  family: string,
  region: string,
  left: { version: number; imageId: string },
  updatedAt: string,
): TransactItem {
  return {
    Update: {
      TableName: tableName,
      Key: regionKey(family, left.version, region),
      UpdateExpression: "SET #updatedAt = :updatedAt REMOVE #marker",
      ConditionExpression: "#imageId = :imageId",
      ExpressionAttributeNames: {
        "#updatedAt": "updatedAt",
        "#marker": "pointerProtectedAt",
        "#imageId": "imageId",
      },
      ExpressionAttributeValues: { ":updatedAt": updatedAt, ":imageId": left.imageId },
    },
  };
}

/** The region item's write and, when the record has an image, the image id's claim. */
function regionImageActions(
  tableName: string,
  family: string,
  version: number,
  record: RegionImageRecord,
  options: ExpectImage,
  lease?: RegionClaimLease,
): TransactItem[] {
  const actions: TransactItem[] = [regionUpdate(tableName, family, version, record, options, lease)];
  if (record.imageId) {
    actions.push({
      Put: {
        TableName: tableName,
        Item: imageClaimItem(record.imageId, { family, version, region: record.region, role: record.role }),
        // The claim may be (re)written only for the same place: an image id belongs to one version and region.
        ConditionExpression:
          "attribute_not_exists(pk) OR (#family = :family AND #version = :version AND #region = :region)",
        ExpressionAttributeNames: { "#family": "family", "#version": "version", "#region": "region" },
        ExpressionAttributeValues: { ":family": family, ":version": version, ":region": record.region },
      },
    });
  }
  return actions;
}
