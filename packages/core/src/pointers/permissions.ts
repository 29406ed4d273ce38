import { managedTagCondition } from "../iam-conditions";
import type { CapabilityPermissions } from "../permissions";

/** The IAM the pointers capability's calls need: the channel pointers and nothing else in SSM. */
export const pointersPermissions = {
  movePointers: {
    purpose:
      "read and move channel pointers (SSM parameters of DataType aws:ec2:image; SSM validates the image with the caller's ec2:DescribeImages, granted by describeImages)",
    calls: ["ImagePointers.getPointer", "ImagePointers.putPointer"],
    statements: [{ actions: ["ssm:GetParameter", "ssm:PutParameter"], resources: ["pointerParameters"] }],
  },
} as const satisfies CapabilityPermissions;

/**
 * The IAM of pointer protection (always on): the images pointers name cannot be deregistered. Apart from
 * moving pointers, so a role that only reads them (the operator's `status`) gets none.
 */
export const pointerProtectionPermissions = {
  protectPointedImages: {
    purpose:
      "protect the managed images pointers name from deregistration, and lift it when no pointer names them",
    calls: ["DeregistrationProtection.enableProtection", "DeregistrationProtection.disableProtection"],
    statements: [
      {
        actions: ["ec2:EnableImageDeregistrationProtection", "ec2:DisableImageDeregistrationProtection"],
        resources: ["imagesInManagedRegions"],
        conditions: [managedTagCondition],
      },
    ],
  },
} as const satisfies CapabilityPermissions;
