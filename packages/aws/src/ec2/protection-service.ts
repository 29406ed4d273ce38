import type { DeregistrationProtection } from "@ami-lifecycle/core";
import {
  DisableImageDeregistrationProtectionCommand,
  type EC2Client,
  EnableImageDeregistrationProtectionCommand,
} from "@aws-sdk/client-ec2";
import { translateAwsError } from "../errors";

/** DeregistrationProtection over @aws-sdk/client-ec2. */
export class Ec2DeregistrationProtection implements DeregistrationProtection {
  constructor(private readonly clients: { ec2(region: string): EC2Client }) {}

  async enableProtection(region: string, imageId: string, withCooldown: boolean): Promise<void> {
    try {
      await this.clients
        .ec2(region)
        .send(
          new EnableImageDeregistrationProtectionCommand({ ImageId: imageId, WithCooldown: withCooldown }),
        );
    } catch (error) {
      throw translateAwsError("EC2.EnableImageDeregistrationProtection", error);
    }
  }

  async disableProtection(region: string, imageId: string): Promise<void> {
    try {
      await this.clients
        .ec2(region)
        .send(new DisableImageDeregistrationProtectionCommand({ ImageId: imageId }));
    } catch (error) {
      throw translateAwsError("EC2.DisableImageDeregistrationProtection", error);
    }
  }
}
