import { createClients, Ec2ImageService, ec2ImageReferences } from "@ami-lifecycle/aws";
import { describe, expect, it } from "vitest";

/** Only the sweep's runtime gets image reference lookups and Auto Scaling clients (they stay out of other bundles). */
describe("image reference lookups are injected", () => {
  it("refuses an Auto Scaling client when none was injected, and builds one when it was", async () => {
    // Prepare
    const without = createClients({ regions: ["eu-west-1"] });
    const injected = createClients({
      regions: ["eu-west-1"],
      newAutoScalingClient: ec2ImageReferences.newAutoScalingClient,
    });

    // Act
    const refused = () => without.autoScaling("eu-west-1");
    const built = injected.autoScaling("eu-west-1");

    // Assess
    expect(refused).toThrow(/without an Auto Scaling client/);
    expect(await built.config.region()).toBe("eu-west-1");
    without.destroy();
    injected.destroy();
  });

  it("refuses to look references up without lookups instead of answering that nothing uses the images", async () => {
    // Prepare
    const clients = createClients({ regions: ["eu-west-1"] });
    const images = new Ec2ImageService({ clients });

    // Act
    const lookup = images.findReferences("eu-west-1", ["ami-0123456789abcdef0"]);

    // Assess
    await expect(lookup).rejects.toThrow(/without image reference lookups/);
    expect(images.usesReferenceFallback("eu-west-1")).toBe(false);
    clients.destroy();
  });
});
