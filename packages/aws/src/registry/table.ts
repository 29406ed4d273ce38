import { CreateTableCommand, type DynamoDBClient, waitUntilTableExists } from "@aws-sdk/client-dynamodb";

/**
 * The version registry is one DynamoDB table with string keys `pk`/`sk` and no index: every lookup is a
 * GetItem or a Query on one partition, so all reads can be strongly consistent.
 *
 * Item layout (pk / sk → attributes):
 * - `FAMILY#<family>` / `COUNTER` → `lastVersion` (number): the last allocated version. Allocation is a
 *   transaction conditional on the value it read, so versions are consecutive integers from 1.
 * - `FAMILY#<family>` / `V#0000000042` → the VersionRecord without `regions` (family, version,
 *   sourceRegion, sourceImageId, name, createdBy, createdAt, stage, stageChangedAt, withdrawn).
 *   Ten zero-padded digits keep sort order numeric, and a version's prefix never matches another's.
 * - `FAMILY#<family>` / `V#0000000042#R#<region>` → one RegionImageRecord (region, imageId, state, role,
 *   kmsKeyId, snapshotIds, copyAttempts, failureReason, retiredBy, updatedAt). Sorting puts a version's
 *   regions right after it, so one Query reads a whole version, or a whole family. Region writes update
 *   the fields, so `availableClaim` (the region's `available` notification claim, region-claims.ts) stays.
 * - `IMAGE#<ami-id>` / `IMAGE` → family, version, region, role: the claim that makes an image id belong
 *   to exactly one version and region (the consistent replacement for a GSI on imageId).
 * - `FAMILY#<family>` / `SHARING` → family: present while the service may have granted launch
 *   permissions on the family's images (the sweep reads them only then; see reconcileSharing).
 * - `FAMILIES` / `F#<family>` → family: the list of families with at least one version.
 * - `CLAIM#<key>` / `CLAIM` → claimedAt, expiresAt: markers (setMarker/clearMarker/hasMarker).
 *   Leased claims (takeClaim/completeClaim/releaseLease, see claim-leases.ts) add claimState
 *   (`pending` | `done`), and while pending leaseId and leaseUntil (epoch ms); no claimState means done.
 * - `ROLLBACK#<request id>` / `ROLLBACK` → family, target, withdrawn, restored, pointers, expiresAt: a
 *   rollback request's decision, recorded before anything moves (rollback-decisions.ts).
 *
 * Every item also carries `entity` (counter, version, region, image, sharing, family, claim) for readability.
 */
export const registryTableKeys = { partitionKey: "pk", sortKey: "sk" } as const;

/**
 * Attribute holding the epoch-second expiry of claim items; the stack enables DynamoDB TTL on it so
 * one-time claims do not accumulate forever.
 */
export const registryTtlAttribute = "expiresAt";

/** Creates the registry table (on demand capacity) and waits until it is active; for tests and the sandbox. */
export async function createRegistryTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: registryTableKeys.partitionKey, AttributeType: "S" },
        { AttributeName: registryTableKeys.sortKey, AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: registryTableKeys.partitionKey, KeyType: "HASH" },
        { AttributeName: registryTableKeys.sortKey, KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
}
