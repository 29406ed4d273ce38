import {
  DisableImageBlockPublicAccessCommand,
  type EC2Client,
  ModifyImageAttributeCommand,
} from "@aws-sdk/client-ec2";

/** Shares an image with the group all, lifting image block public access first as AWS requires. */
export async function makePublic(ec2: EC2Client, imageId: string): Promise<void> {
  await ec2.send(new DisableImageBlockPublicAccessCommand({}));
  await ec2.send(
    new ModifyImageAttributeCommand({ ImageId: imageId, LaunchPermission: { Add: [{ Group: "all" }] } }),
  );
}
