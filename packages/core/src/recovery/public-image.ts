import type { ImageSharingService } from "../ports";
import type { UnrestorableRegion } from "./restore-errors";

/**
 * Why a restore cannot cancel this image's deprecation now, or undefined when it can. EC2 refuses
 * DisableImageDeprecation on a public AMI ("To cancel the deprecation date … you must make the AMI
 * private", EC2 User Guide, "Deprecate an AMI"), so restore asks EC2 (DescribeImageAttribute
 * launchPermission, never a tag) before it changes anything. Restore never makes an image private
 * itself: who may launch it is the owner's decision (or the public-sharing guard's, in revert mode).
 */
export async function publicImageRefusal(
  sharing: ImageSharingService,
  region: string,
  imageId: string,
): Promise<UnrestorableRegion | undefined> {
  const permissions = await sharing.getLaunchPermissions(region, imageId);
  if (!permissions.public) return undefined;
  return {
    region,
    imageId,
    reason: "image-public",
    missing: `${imageId} is public, and EC2 cancels the deprecation of a private image only`,
    remedy: `make it private (aws ec2 modify-image-attribute --region ${region} --image-id ${imageId} --launch-permission "Remove=[{Group=all}]") or let the public-sharing guard revert it, then run restore again`,
  };
}
