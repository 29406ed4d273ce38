import type { FamilyConfig, SharingPolicy } from "../config";
import type { Effect } from "../effects";
import { ImageNotFoundError } from "../errors";
import type { VersionRecord } from "../model";
import type { ImageSharingService, LaunchPermissionChange, LaunchPermissions } from "../ports";
import type { SharingDependencies } from "./sharing-dependencies";

/** One change syncSharing made to an image or a snapshot. */
export interface SharingChange {
  region: string;
  /** the image (launch permissions) or snapshot (createVolumePermission) changed */
  resourceId: string;
  kind: "launch-permission" | "create-volume-permission";
  added: string[];
  removed: string[];
}

/** Who a family's versions are shared with: nobody when retired. */
interface DesiredSharing {
  accounts: string[];
  organizationArns: string[];
  organizationalUnitArns: string[];
  snapshotAccounts: string[];
}

const nobody: DesiredSharing = {
  accounts: [],
  organizationArns: [],
  organizationalUnitArns: [],
  snapshotAccounts: [],
};

function desiredSharing(policy: SharingPolicy, retired: boolean): DesiredSharing {
  if (retired) return nobody;
  return {
    accounts: policy.accounts,
    organizationArns: policy.organizationArns,
    organizationalUnitArns: policy.organizationalUnitArns,
    // Snapshots have no organization permissions (CreateVolumePermission is UserId or Group only).
    snapshotAccounts: policy.createVolumePermission ? policy.accounts : [],
  };
}

/**
 * Makes every available image of the version carry exactly the family's launch permissions (and the
 * snapshots' createVolumePermission when configured); a retired version (stage past active, or
 * `retired`) is shared with nobody. Consumers no longer configured are revoked. Group `all` is never
 * touched here: that is the public-sharing guard's. Reads first and writes only what differs, so a
 * version in sync costs no write. Without a sharing port (dry-run, read-only) it does nothing.
 */
export async function syncSharing(
  deps: Pick<SharingDependencies, "sharing">,
  family: FamilyConfig,
  version: VersionRecord,
  options: { retired?: boolean; regions?: readonly string[] } = {},
): Promise<SharingChange[]> {
  const sharing = deps.sharing;
  const retired = options.retired ?? version.stage !== "active";
  const desired = desiredSharing(family.sharing, retired);
  const changes: SharingChange[] = [];
  for (const record of Object.values(version.regions)) {
    if (record.state !== "available" || !record.imageId) continue;
    if (options.regions && !options.regions.includes(record.region)) continue;
    changes.push(...(await shareImage(sharing, record.region, record.imageId, record.snapshotIds, desired)));
  }
  return changes;
}

/**
 * Removes every launch permission (but group `all`) and snapshot createVolumePermission of one image:
 * the retirement executor calls it before DisableImage and DeregisterImage.
 */
export async function revokeSharing(
  deps: Pick<SharingDependencies, "sharing">,
  region: string,
  imageId: string,
  snapshotIds: readonly string[],
): Promise<SharingChange[]> {
  return shareImage(deps.sharing, region, imageId, snapshotIds, nobody, { checkSnapshots: true });
}

async function shareImage(
  sharing: ImageSharingService,
  region: string,
  imageId: string,
  snapshotIds: readonly string[],
  desired: DesiredSharing,
  options: { checkSnapshots?: boolean } = {},
): Promise<SharingChange[]> {
  let current: LaunchPermissions;
  try {
    current = await sharing.getLaunchPermissions(region, imageId);
  } catch (error) {
    // Gone since it was recorded: nothing left to share or revoke; the sweep records the disappearance.
    if (error instanceof ImageNotFoundError) return [];
    throw error;
  }
  const changes: SharingChange[] = [];
  const change: LaunchPermissionChange = {
    add: {
      accounts: missing(desired.accounts, current.accounts),
      organizationArns: missing(desired.organizationArns, current.organizationArns),
      organizationalUnitArns: missing(desired.organizationalUnitArns, current.organizationalUnitArns),
    },
    remove: {
      accounts: missing(current.accounts, desired.accounts),
      organizationArns: missing(current.organizationArns, desired.organizationArns),
      organizationalUnitArns: missing(current.organizationalUnitArns, desired.organizationalUnitArns),
    },
  };
  const added = [
    ...change.add.accounts,
    ...change.add.organizationArns,
    ...change.add.organizationalUnitArns,
  ];
  const removed = [
    ...change.remove.accounts,
    ...change.remove.organizationArns,
    ...change.remove.organizationalUnitArns,
  ];
  if (added.length > 0 || removed.length > 0) {
    await sharing.modifyLaunchPermissions(region, imageId, change);
    changes.push({ region, resourceId: imageId, kind: "launch-permission", added, removed });
  }
  // Snapshots are read only when they can hold the service's grants: when configured, or when the image
  // was shared with accounts (a grant switched off since), or on retirement.
  const snapshotsMayBeShared =
    options.checkSnapshots || desired.snapshotAccounts.length > 0 || current.accounts.length > 0;
  if (!snapshotsMayBeShared) return changes;
  for (const snapshotId of snapshotIds) {
    const granted = await sharing.getSnapshotVolumePermissions(region, snapshotId);
    const add = missing(desired.snapshotAccounts, granted.accounts);
    const remove = missing(granted.accounts, desired.snapshotAccounts);
    if (add.length === 0 && remove.length === 0) continue;
    await sharing.modifySnapshotVolumePermissions(region, snapshotId, { add, remove });
    changes.push({
      region,
      resourceId: snapshotId,
      kind: "create-volume-permission",
      added: add,
      removed: remove,
    });
  }
  return changes;
}

/** Values of `wanted` absent from `present`. */
function missing(wanted: readonly string[], present: readonly string[]): string[] {
  const have = new Set(present);
  return [...new Set(wanted)].filter((value) => !have.has(value));
}

/** The family shares its versions with someone (a new image then needs launch permissions). */
export function hasConsumers(family: FamilyConfig): boolean {
  const { accounts, organizationArns, organizationalUnitArns } = family.sharing;
  return accounts.length + organizationArns.length + organizationalUnitArns.length > 0;
}

/**
 * Shares a version's image that just became available in a region (the event reactions' step), when the
 * family has consumers; returns its effect (`shared` in that region). The family is marked as shared
 * first, so a later sweep revokes these grants if the consumers are removed from the config.
 */
export async function shareNewlyAvailable(
  deps: Pick<SharingDependencies, "sharing" | "registry">,
  family: FamilyConfig,
  version: VersionRecord,
  region: string,
): Promise<Effect[]> {
  if (!hasConsumers(family)) return [];
  await deps.registry.setSharingGranted(family.name, true);
  const changes = await syncSharing(deps, family, version, { regions: [region] });
  return changes.length > 0 ? [{ kind: "shared", region }] : [];
}
