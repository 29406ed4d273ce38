import type {
  DescribeImageAttributeCommandInput,
  DescribeSnapshotAttributeCommandInput,
  DisableImageBlockPublicAccessCommandInput,
  EnableImageBlockPublicAccessCommandInput,
  GetImageBlockPublicAccessStateCommandInput,
  LaunchPermission,
  ModifyImageAttributeCommandInput,
  ModifySnapshotAttributeCommandInput,
  ResetImageAttributeCommandInput,
  ResetSnapshotAttributeCommandInput,
} from "@aws-sdk/client-ec2";
import { SimApiError } from "../errors";
import type { RegionState } from "../state";
import type { CallContext, SimWorld } from "../world";
import { rejectDryRun, requireImage, requireSnapshot } from "./common";
import { applyPublicDefaultDeprecation } from "./deprecation-limits";

/**
 * Image block public access when the account never set it. AWS turns it on for new accounts
 * ("Block public access to your AMIs", EC2 User Guide); a test that shares publicly disables it first.
 */
const defaultBlockPublicAccess = "block-new-sharing" as const;

/** A launch permission as stored on a SimImage. */
function encode(permission: LaunchPermission): string {
  if (permission.Group !== undefined) {
    // PermissionGroup has one value (EC2 API reference, LaunchPermission).
    if (permission.Group !== "all")
      throw new SimApiError("InvalidParameterValue", `Invalid group: ${permission.Group}`);
    return "group:all";
  }
  if (permission.UserId !== undefined) {
    if (!/^\d{12}$/.test(permission.UserId))
      throw new SimApiError("InvalidUserID.Malformed", `User ID '${permission.UserId}' is not valid`);
    return `userId:${permission.UserId}`;
  }
  if (permission.OrganizationArn !== undefined) return `organizationArn:${permission.OrganizationArn}`;
  if (permission.OrganizationalUnitArn !== undefined)
    return `organizationalUnitArn:${permission.OrganizationalUnitArn}`;
  throw new SimApiError(
    "InvalidParameterValue",
    "A launch permission needs a UserId, Group, OrganizationArn or OrganizationalUnitArn.",
  );
}

/** A stored launch permission back in the SDK's shape. */
function decode(entry: string): LaunchPermission {
  const [kind, ...rest] = entry.split(":");
  const value = rest.join(":");
  if (kind === "group") return { Group: "all" };
  if (kind === "userId") return { UserId: value };
  if (kind === "organizationArn") return { OrganizationArn: value };
  return { OrganizationalUnitArn: value };
}

/** CloudTrail's Query-API rendering of a permission list: `{ items: [{ group: "all" }] }`. */
function cloudTrailItems(permissions: readonly LaunchPermission[]) {
  return {
    items: permissions.map((permission) =>
      Object.fromEntries(
        Object.entries(permission)
          .filter(([, value]) => value !== undefined)
          .map(([key, value]) => [key.charAt(0).toLowerCase() + key.slice(1), value]),
      ),
    ),
  };
}

function blockPublicAccess(region: RegionState) {
  return region.imageBlockPublicAccess ?? defaultBlockPublicAccess;
}

/** The Add/Remove lists of ModifyImageAttribute, from LaunchPermission or the flat parameters with OperationType. */
function launchPermissionChanges(input: ModifyImageAttributeCommandInput): {
  add: LaunchPermission[];
  remove: LaunchPermission[];
} {
  if (input.LaunchPermission) {
    return { add: input.LaunchPermission.Add ?? [], remove: input.LaunchPermission.Remove ?? [] };
  }
  const listed: LaunchPermission[] = [
    ...(input.UserIds ?? []).map((UserId) => ({ UserId })),
    ...(input.UserGroups ?? []).map((Group) => ({ Group: Group as "all" })),
    ...(input.OrganizationArns ?? []).map((OrganizationArn) => ({ OrganizationArn })),
    ...(input.OrganizationalUnitArns ?? []).map((OrganizationalUnitArn) => ({ OrganizationalUnitArn })),
  ];
  if (input.OperationType === "add") return { add: listed, remove: [] };
  if (input.OperationType === "remove") return { add: [], remove: listed };
  throw new SimApiError("MissingParameter", "The request must contain the parameter OperationType.");
}

/**
 * EC2 operations on who may launch an image and create volumes from its snapshots, and the account's image
 * block public access (EC2 API reference: ModifyImageAttribute, DescribeImageAttribute, ResetImageAttribute,
 * ModifySnapshotAttribute, DescribeSnapshotAttribute, ResetSnapshotAttribute, Get/Enable/DisableImageBlockPublicAccess).
 */
export const sharingHandlers = {
  ModifyImageAttribute(world: SimWorld, call: CallContext, input: ModifyImageAttributeCommandInput) {
    rejectDryRun(input);
    const region = world.region(call.region);
    const image = requireImage(region, input.ImageId);
    if (input.Description !== undefined && !input.LaunchPermission && !input.OperationType) {
      image.description = input.Description.Value;
      return {};
    }
    const { add, remove } = launchPermissionChanges(input);
    const adding = add.map(encode);
    const removing = remove.map(encode);
    if (image.state === "disabled" && adding.length > 0) {
      // A disabled AMI cannot be shared ("Disable an AMI", EC2 User Guide); error code inferred.
      throw new SimApiError("IncorrectState", `Image '${image.imageId}' is disabled and cannot be shared.`);
    }
    if (adding.includes("group:all") && blockPublicAccess(region) === "block-new-sharing") {
      // "Block public access for AMIs … will block any attempt to publicly share your AMIs" (EC2 API
      // reference, EnableImageBlockPublicAccess); the error code is inferred.
      throw new SimApiError(
        "OperationNotPermitted",
        "Public sharing of AMIs is blocked by image block public access in this Region.",
      );
    }
    if (adding.includes("group:all") && image.watermarks?.length) {
      // "A watermarked AMI cannot be made public" (aws-facts §5); the error code is inferred.
      throw new SimApiError(
        "OperationNotPermitted",
        `Image '${image.imageId}' has a watermark and cannot be made public.`,
      );
    }
    const kept = image.launchPermissions.filter((entry) => !removing.includes(entry));
    image.launchPermissions = [...new Set([...kept, ...adding])];
    applyPublicDefaultDeprecation(image);
    const requestParameters = input.LaunchPermission
      ? {
          imageId: image.imageId,
          launchPermission: {
            ...(add.length > 0 ? { add: cloudTrailItems(add) } : {}),
            ...(remove.length > 0 ? { remove: cloudTrailItems(remove) } : {}),
          },
          attributeType: "launchPermission",
        }
      : {
          imageId: image.imageId,
          attribute: input.Attribute ?? "launchPermission",
          operationType: input.OperationType,
          ...(input.UserIds ? { userId: cloudTrailItems(input.UserIds.map((UserId) => ({ UserId }))) } : {}),
          ...(input.UserGroups
            ? { userGroup: { items: input.UserGroups.map((userGroup) => ({ userGroup })) } }
            : {}),
        };
    world.emitCloudTrailCall(call, "ModifyImageAttribute", requestParameters, {
      requestId: call.requestId,
      _return: true,
    });
    return {};
  },

  DescribeImageAttribute(world: SimWorld, call: CallContext, input: DescribeImageAttributeCommandInput) {
    rejectDryRun(input);
    const image = requireImage(world.region(call.region), input.ImageId);
    if (input.Attribute === "launchPermission") {
      return { ImageId: image.imageId, LaunchPermissions: image.launchPermissions.map(decode) };
    }
    if (input.Attribute === "description") {
      return { ImageId: image.imageId, Description: { Value: image.description } };
    }
    throw new SimApiError(
      "InvalidParameterValue",
      `The simulated account does not model attribute ${input.Attribute}.`,
    );
  },

  ResetImageAttribute(world: SimWorld, call: CallContext, input: ResetImageAttributeCommandInput) {
    rejectDryRun(input);
    const image = requireImage(world.region(call.region), input.ImageId);
    if (input.Attribute !== "launchPermission") {
      throw new SimApiError(
        "InvalidParameterValue",
        `Value (${input.Attribute}) for parameter attribute is invalid.`,
      );
    }
    // "Resets an attribute of an AMI to its default value": launch permissions back to the owner only.
    image.launchPermissions = [];
    world.emitCloudTrailCall(
      call,
      "ResetImageAttribute",
      { imageId: image.imageId, attribute: "launchPermission" },
      { requestId: call.requestId, _return: true },
    );
    return {};
  },

  ModifySnapshotAttribute(world: SimWorld, call: CallContext, input: ModifySnapshotAttributeCommandInput) {
    rejectDryRun(input);
    const snapshot = requireSnapshot(world.region(call.region), input.SnapshotId);
    const toEntries = (list: { UserId?: string; Group?: string }[]) =>
      list.map((item) => encode(item as LaunchPermission));
    let adding: string[] = [];
    let removing: string[] = [];
    if (input.CreateVolumePermission) {
      adding = toEntries(input.CreateVolumePermission.Add ?? []);
      removing = toEntries(input.CreateVolumePermission.Remove ?? []);
    } else {
      const listed = toEntries([
        ...(input.UserIds ?? []).map((UserId) => ({ UserId })),
        ...(input.GroupNames ?? []).map((Group) => ({ Group })),
      ]);
      if (input.OperationType === "add") adding = listed;
      else if (input.OperationType === "remove") removing = listed;
      else throw new SimApiError("MissingParameter", "The request must contain the parameter OperationType.");
    }
    if (adding.includes("group:all") && snapshot.encrypted) {
      // "You can't make your encrypted snapshots public" (EBS User Guide, share a snapshot).
      throw new SimApiError("InvalidParameter", "Encrypted snapshots cannot be shared publicly.");
    }
    const kept = (snapshot.createVolumePermissions ?? []).filter((entry) => !removing.includes(entry));
    snapshot.createVolumePermissions = [...new Set([...kept, ...adding])];
    return {};
  },

  DescribeSnapshotAttribute(
    world: SimWorld,
    call: CallContext,
    input: DescribeSnapshotAttributeCommandInput,
  ) {
    rejectDryRun(input);
    const snapshot = requireSnapshot(world.region(call.region), input.SnapshotId);
    if (input.Attribute !== "createVolumePermission") {
      throw new SimApiError(
        "InvalidParameterValue",
        `The simulated account does not model attribute ${input.Attribute}.`,
      );
    }
    return {
      SnapshotId: snapshot.snapshotId,
      CreateVolumePermissions: (snapshot.createVolumePermissions ?? []).map(decode),
    };
  },

  ResetSnapshotAttribute(world: SimWorld, call: CallContext, input: ResetSnapshotAttributeCommandInput) {
    rejectDryRun(input);
    const snapshot = requireSnapshot(world.region(call.region), input.SnapshotId);
    if (input.Attribute !== "createVolumePermission") {
      throw new SimApiError(
        "InvalidParameterValue",
        `Value (${input.Attribute}) for parameter attribute is invalid.`,
      );
    }
    snapshot.createVolumePermissions = [];
    return {};
  },

  GetImageBlockPublicAccessState(
    world: SimWorld,
    call: CallContext,
    input: GetImageBlockPublicAccessStateCommandInput,
  ) {
    rejectDryRun(input);
    return {
      ImageBlockPublicAccessState: blockPublicAccess(world.region(call.region)),
      ManagedBy: "account",
    };
  },

  // AWS may take up to 10 minutes to apply either change; the simulation applies it at once.
  EnableImageBlockPublicAccess(
    world: SimWorld,
    call: CallContext,
    input: EnableImageBlockPublicAccessCommandInput,
  ) {
    rejectDryRun(input);
    if (input.ImageBlockPublicAccessState !== "block-new-sharing") {
      throw new SimApiError(
        "InvalidParameterValue",
        "ImageBlockPublicAccessState must be block-new-sharing.",
      );
    }
    world.region(call.region).imageBlockPublicAccess = "block-new-sharing";
    return { ImageBlockPublicAccessState: "block-new-sharing" };
  },

  DisableImageBlockPublicAccess(
    world: SimWorld,
    call: CallContext,
    input: DisableImageBlockPublicAccessCommandInput,
  ) {
    rejectDryRun(input);
    world.region(call.region).imageBlockPublicAccess = "unblocked";
    return { ImageBlockPublicAccessState: "unblocked" };
  },
};
