import type { DescribeImagesCommandInput, Image } from "@aws-sdk/client-ec2";
import { assertImageIdShape, paginate } from "../ec2/common";
import { describeHandlers } from "../ec2/describe";
import { SimApiError } from "../errors";
import type { CallContext, SimWorld } from "../world";

/**
 * DescribeImages in an account of a simulated organization: its own images as before, plus the images
 * other accounts share with it, rendered by their owner without tags (tags are invisible to consumers,
 * aws-facts §5; a tag filter therefore never matches them). Without an organization: unchanged.
 */
export function describeImagesAcrossAccounts(
  world: SimWorld,
  call: CallContext,
  input: DescribeImagesCommandInput,
) {
  const organization = world.organization;
  if (!organization) return describeHandlers.DescribeImages(world, call, input);
  const own = world.region(call.region).images;
  const owners = input.Owners ?? [];
  const wantsOwn = owners.length === 0 || owners.some((o) => o === "self" || o === world.accountId);
  const wantsOwner = (id: string) => owners.length === 0 || owners.includes(id);
  const shared = organization
    .usableImages(world, call.region)
    .filter(({ owner }) => wantsOwner(owner.accountId));
  const { MaxResults, NextToken, Owners: _owners, ...rest } = input;
  let ownImages: Image[] = [];
  let foreign: Image[];
  if (input.ImageIds?.length) {
    const ids = input.ImageIds.map(assertImageIdShape);
    const sharedIds = new Set(shared.map(({ image }) => image.imageId));
    const missing = ids.filter((id) => !own.has(id) && !sharedIds.has(id));
    if (missing.length > 0) {
      throw new SimApiError("InvalidAMIID.NotFound", `The image id '[${missing.join(", ")}]' does not exist`);
    }
    const ownIds = ids.filter((id) => own.has(id));
    if (wantsOwn && ownIds.length > 0) {
      ownImages = describeHandlers.DescribeImages(world, call, { ...rest, ImageIds: ownIds }).Images;
    }
    foreign = shared
      .filter(({ image }) => ids.includes(image.imageId))
      .flatMap(
        ({ image, owner }) =>
          describeHandlers.DescribeImages(owner, call, { ImageIds: [image.imageId] }).Images,
      );
  } else {
    if (wantsOwn) ownImages = describeHandlers.DescribeImages(world, call, rest).Images;
    const tagFilter = (input.Filters ?? []).some((f) => /^tag(:|-key$|-value$)/.test(f.Name ?? ""));
    const byOwner = new Map<SimWorld, Set<string>>();
    for (const { image, owner } of shared)
      byOwner.set(owner, (byOwner.get(owner) ?? new Set()).add(image.imageId));
    foreign = tagFilter
      ? []
      : [...byOwner].flatMap(([owner, ids]) =>
          describeHandlers.DescribeImages(owner, call, rest).Images.filter((r) => ids.has(String(r.ImageId))),
        );
  }
  const visible = foreign.map(({ Tags: _tags, ...image }) => image);
  const { page, nextToken } = paginate([...ownImages, ...visible], MaxResults, NextToken);
  return { Images: page, ...(nextToken ? { NextToken: nextToken } : {}) };
}
