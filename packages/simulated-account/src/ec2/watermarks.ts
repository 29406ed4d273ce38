import type {
  AttachImageWatermarkRequest,
  DetachImageWatermarkRequest,
  ImageWatermark,
} from "@aws-sdk/client-ec2";
import { SimApiError } from "../errors";
import type { SimImage, SimWatermark } from "../state";
import type { CallContext, SimWorld } from "../world";
import { rejectDryRun, requireImage } from "./common";

/** AWS allows at most five watermarks on one image (aws-facts §5). */
export const MAX_WATERMARKS_PER_IMAGE = 5;

/** Renders a watermark as DescribeImages' ImageWatermarks shows it. */
export function renderWatermark(watermark: SimWatermark): ImageWatermark {
  return {
    WatermarkKey: watermark.key,
    SourceImageId: watermark.sourceImageId,
    SourceImageRegion: watermark.sourceImageRegion,
    SourceImageCreationTime: new Date(watermark.sourceImageCreationTime),
    WatermarkCreationTime: new Date(watermark.createdAt),
  };
}

/** The watermarks a new image made from `source` (copy, CreateImage from its instance) carries. */
export function inheritedWatermarks(source: SimImage | undefined): Pick<SimImage, "watermarks"> {
  return source?.watermarks?.length ? { watermarks: source.watermarks.map((mark) => ({ ...mark })) } : {};
}

/** Values of the `image-watermark.*` DescribeImages filters for one image. */
export function watermarkFilterValues(image: SimImage, name: string): string[] {
  const marks = image.watermarks ?? [];
  switch (name) {
    case "image-watermark.watermark-key":
      return marks.map((mark) => mark.key);
    case "image-watermark.source-image-id":
      return marks.map((mark) => mark.sourceImageId);
    case "image-watermark.source-image-region":
      return marks.map((mark) => mark.sourceImageRegion);
    case "image-watermark.source-image-creation-time":
      return marks.map((mark) => mark.sourceImageCreationTime);
    default:
      return marks.map((mark) => mark.createdAt);
  }
}

/** AttachImageWatermark / DetachImageWatermark on the account's own images. */
export const watermarkHandlers = {
  AttachImageWatermark(world: SimWorld, call: CallContext, input: AttachImageWatermarkRequest) {
    rejectDryRun(input);
    const image = requireImage(world.region(call.region), String(input.ImageId));
    const name = String(input.WatermarkName ?? "");
    if (name.length < 3 || name.length > 128) {
      throw new SimApiError("InvalidParameterValue", "WatermarkName must be 3 to 128 characters long.");
    }
    const key = `${world.accountId}:${name}`;
    const marks = image.watermarks ?? [];
    // Attaching the same name again changes nothing (the key is the identity).
    if (!marks.some((mark) => mark.key === key)) {
      if (marks.length >= MAX_WATERMARKS_PER_IMAGE) {
        throw new SimApiError(
          "ResourceLimitExceeded",
          `Image '${image.imageId}' already has ${MAX_WATERMARKS_PER_IMAGE} watermarks.`,
        );
      }
      if (image.launchPermissions.includes("group:all")) {
        throw new SimApiError(
          "OperationNotPermitted",
          `Image '${image.imageId}' is public and cannot be watermarked.`,
        );
      }
      marks.push({
        key,
        sourceImageId: image.imageId,
        sourceImageRegion: image.region,
        sourceImageCreationTime: image.creationDate,
        createdAt: world.isoNow(),
      });
      image.watermarks = marks;
    }
    return { WatermarkKey: key };
  },

  DetachImageWatermark(world: SimWorld, call: CallContext, input: DetachImageWatermarkRequest) {
    rejectDryRun(input);
    const image = requireImage(world.region(call.region), String(input.ImageId));
    const key = String(input.WatermarkKey ?? "");
    if (!image.watermarks?.some((mark) => mark.key === key)) {
      throw new SimApiError("InvalidParameterValue", `Image '${image.imageId}' has no watermark '${key}'.`);
    }
    image.watermarks = image.watermarks.filter((mark) => mark.key !== key);
    return { Return: true };
  },
};
