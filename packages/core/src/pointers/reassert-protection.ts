import type { FamilyConfig } from "../config";
import type { EventDependencies } from "../dependencies";
import type { ImageRecord, VersionRecord } from "../model";
import { type AccountView, failureOf, type RegistryReconciliation, regionalKey } from "../sweep-results";
import { liftPointerProtection, pointedImages, protectForPointer } from "./protect-pointed";

/** How long EC2 keeps an image protected after a protection with cooldown is lifted. */
const cooldownMs = 24 * 3_600_000;

/**
 * Before planning: every recorded image of the family a pointer names gets deregistration protection
 * (someone may have lifted it), and every recorded image no pointer names loses a protection the registry
 * records the service set (a pointer moved while an event was lost). A protection someone else set is
 * left alone (it keeps its version, rule `protected`), and images the registry does not record are never
 * touched. The view's image records are updated in place, so the planner sees what EC2 now enforces: a
 * lifted protection with cooldown still keeps the image for 24 h, and no deregistration is planned that
 * EC2 would refuse. One failing region does not stop the others.
 */
export async function reassertProtection(
  deps: EventDependencies,
  family: FamilyConfig,
  versions: readonly VersionRecord[],
  view: AccountView,
): Promise<RegistryReconciliation> {
  const result: RegistryReconciliation = { reconciled: [], failures: [] };
  const { pointers } = deps;
  const withCooldown = deps.config.pointers.protectionCooldown;
  const listed = new Map(view.images.map((image) => [regionalKey(image.region, image.imageId), image]));
  for (const region of deps.config.regions) {
    const recorded = recordedImages(versions, region, listed);
    if (recorded.length === 0) continue;
    try {
      const pointed = await pointedImages(pointers, deps.config.pointers.namePattern, family, region);
      for (const { version, image } of recorded) {
        const where = { region, imageId: image.imageId, version: version.version };
        if (pointed.has(image.imageId)) {
          if (!(await protectForPointer(deps, { version, region, image }, withCooldown))) continue;
          image.deregistrationProtection = true;
          image.deregistrationProtectionSetting = withCooldown ? "enabled-with-cooldown" : "enabled";
          result.reconciled.push({ kind: "protection-enabled", ...where, detail: "a pointer names it" });
        } else {
          const cooling = image.deregistrationProtectionSetting === "enabled-with-cooldown";
          if (!(await liftPointerProtection(deps, { version, region, image }))) continue;
          image.deregistrationProtection = cooling;
          if (cooling) {
            image.deregistrationProtectionSetting = "cooling-down";
            // EC2 keeps refusing deregistration for 24 h from the lift (aws-facts §5).
            image.deregistrationProtectionUntil = new Date(
              deps.clock.now().getTime() + cooldownMs,
            ).toISOString();
          } else delete image.deregistrationProtectionSetting;
          result.reconciled.push({
            kind: "protection-removed",
            ...where,
            detail: cooling ? "no pointer names it; protected 24 h more (cooldown)" : "no pointer names it",
          });
        }
      }
    } catch (error) {
      result.failures.push(failureOf("reassert-protection", error, { family: family.name, region }));
    }
  }
  return result;
}

/** The family's images in the region as the view lists them, for the images the registry records. */
function recordedImages(
  versions: readonly VersionRecord[],
  region: string,
  listed: ReadonlyMap<string, ImageRecord>,
): { version: VersionRecord; image: ImageRecord }[] {
  const found: { version: VersionRecord; image: ImageRecord }[] = [];
  for (const version of versions) {
    const imageId = version.regions[region]?.imageId;
    if (!imageId) continue;
    const image = listed.get(regionalKey(region, imageId));
    if (image) found.push({ version, image });
  }
  return found;
}
