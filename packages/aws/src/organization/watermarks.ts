import type { WatermarkPort } from "@ami-lifecycle/core";
import { AttachImageWatermarkCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { withAwsErrors } from "../errors";

/** Image watermarks in the owner account: what consumers (and their copies) can see of an image's family. */
export class Ec2Watermarks implements WatermarkPort {
  constructor(private readonly ec2: (region: string) => EC2Client) {}

  /** Attaches the watermark; attaching the same name again is a no-op in EC2, so retries are safe. */
  async attach(region: string, imageId: string, name: string): Promise<string> {
    const { WatermarkKey } = await withAwsErrors("EC2.AttachImageWatermark", () =>
      this.ec2(region).send(new AttachImageWatermarkCommand({ ImageId: imageId, WatermarkName: name })),
    );
    return String(WatermarkKey);
  }
}
