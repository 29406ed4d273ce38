import { regionLabel } from "./config";

/** Resource options placing a resource in one region; `undefined` means the app's default (home) provider. */
export type RegionOptions = { provider?: aws.Provider };

/**
 * One Pulumi AWS provider per non-home region. The home region uses the app's default provider, whose
 * region sst.config.ts sets to `homeRegion`.
 */
export function createRegionProviders(homeRegion: string, regions: readonly string[]) {
  const providers = new Map<string, aws.Provider>();
  for (const region of regions) {
    if (region === homeRegion) continue;
    providers.set(region, new aws.Provider(`Aws${regionLabel(region)}`, { region: region as aws.Region }));
  }
  /** Options that place a resource in `region`. */
  function inRegion(region: string): RegionOptions {
    if (region === homeRegion) return {};
    const provider = providers.get(region);
    if (!provider) throw new Error(`${region} is not a managed region`);
    return { provider };
  }
  return { inRegion };
}

/** Places resources in a region. */
export type RegionPlacement = ReturnType<typeof createRegionProviders>;
