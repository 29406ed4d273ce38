import type { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { home, type SeededImage, type Target } from "./targets";

/** What an Auto Scaling test starts from: the client in `home`, an image and a template launching it. */
export interface GroupTemplate {
  asg: AutoScalingClient;
  image: SeededImage;
  templateId: string;
}

/** The target's Auto Scaling client in `home` and launch template "web", whose version 1 launches a new image "web-1". */
export async function groupTemplate(target: Target): Promise<GroupTemplate> {
  const asg = target.autoScaling(home);
  const image = await target.seedImage(home, "web-1");
  const templateId = await target.createLaunchTemplate(home, "web", image.imageId);
  return { asg, image, templateId };
}
