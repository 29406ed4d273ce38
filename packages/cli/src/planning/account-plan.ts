import {
  type Config,
  type FamilyPlan,
  type ImageRecord,
  type ImageReference,
  type ImageService,
  indexInventory,
  LifecycleTag,
  type ManagedSnapshot,
  managedTagValue,
  planRetention,
  type VersionRegistry,
} from "@ami-lifecycle/core";

/** What planning reads: the config, the registry and EC2, at one instant. */
export interface AccountPlanInput {
  config: Config;
  registry: VersionRegistry;
  images: ImageService;
  now: Date;
  /** called before each region and family is read, for progress on stderr */
  onProgress?: (message: string) => void;
}

/**
 * The retention plan of every configured family, read-only: reads each managed region's owned
 * images, their references and managed snapshots once, then plans each family with the pure planner.
 */
export async function planAccount(input: AccountPlanInput): Promise<FamilyPlan[]> {
  const images: ImageRecord[] = [];
  const references: ImageReference[] = [];
  const snapshots: ManagedSnapshot[] = [];
  for (const region of input.config.regions) {
    input.onProgress?.(`reading images, references and snapshots in ${region}`);
    const regionImages = await input.images.listOwnedImages(region);
    images.push(...regionImages);
    // Only managed images can be retired, so only theirs need the (costlier) reference lookup.
    const managed = regionImages.filter((image) => image.tags[LifecycleTag.managed] === managedTagValue);
    if (managed.length > 0) {
      references.push(
        ...(await input.images.findReferences(
          region,
          managed.map((image) => image.imageId),
        )),
      );
    }
    for (const snapshot of await input.images.listManagedSnapshots(region)) {
      snapshots.push({ region, ...snapshot });
    }
  }
  const inventory = indexInventory(images, references, snapshots);
  const plans: FamilyPlan[] = [];
  for (const family of input.config.families) {
    input.onProgress?.(`planning ${family.name}`);
    const versions = await input.registry.listVersions(family.name);
    plans.push(
      planRetention({ family, versions, now: input.now, accounts: input.config.accounts, inventory }),
    );
  }
  return plans;
}
