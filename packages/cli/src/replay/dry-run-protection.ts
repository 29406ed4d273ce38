import type { DeregistrationProtection, WatermarkPort } from "@ami-lifecycle/core";
import type { Intent } from "./dry-run-ports";

/**
 * Deregistration protection that only records what the service would set: a replay shows the
 * protection a pointer move brings (pointer protection is always on), and changes none.
 */
export class DryRunProtection implements DeregistrationProtection {
  constructor(private readonly intents: Intent[]) {}

  async enableProtection(region: string, imageId: string, withCooldown: boolean) {
    this.intents.push(
      `ec2 EnableImageDeregistrationProtection ${region} ${imageId}${withCooldown ? " (with cooldown)" : ""}`,
    );
  }
  async disableProtection(region: string, imageId: string) {
    this.intents.push(`ec2 DisableImageDeregistrationProtection ${region} ${imageId}`);
  }
}

/** Watermarks that only record what the service would attach (with the `organization` slice). */
export class DryRunWatermarks implements WatermarkPort {
  constructor(
    private readonly intents: Intent[],
    private readonly ownerAccountId: string,
  ) {}

  async attach(region: string, imageId: string, name: string) {
    this.intents.push(`ec2 AttachImageWatermark ${region} ${imageId} ${name}`);
    return `${this.ownerAccountId}:${name}`;
  }
}
