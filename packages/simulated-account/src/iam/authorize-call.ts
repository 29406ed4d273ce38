import { SimApiError } from "../errors";
import { roleTrustsCaller } from "../organization/sts";
import type { CallContext, SimWorld } from "../world";
import type { IamAuthorizer, IamDenial } from "./authorizer";
import { snapshotArn } from "./ec2-requests";
import { resourceTagContext } from "./request";
import { iamRequestsFor } from "./service-requests";

/** The error each service answers a denied call with (EC2 Query API, SNS Query API, JSON services). */
export function accessDeniedError(service: string, denial: IamDenial): SimApiError {
  const message = `User: ${denial.principalArn} is not authorized to perform: ${denial.action} on resource: ${denial.resource} because no identity-based policy allows the ${denial.action} action`;
  if (service === "EC2") {
    return new SimApiError(
      "UnauthorizedOperation",
      `You are not authorized to perform this operation. ${message}`,
      403,
    );
  }
  // SNS reports a refused key of an encrypted topic as its own error, not as AuthorizationError.
  if (service === "SNS" && denial.action.startsWith("kms:"))
    return new SimApiError("KMSAccessDenied", `${message} (the topic's KMS key)`, 400);
  if (service === "SNS") return new SimApiError("AuthorizationError", message, 403);
  if (service === "SQS" || service === "CloudWatch") return new SimApiError("AccessDenied", message, 403);
  return new SimApiError("AccessDeniedException", message, 400);
}

/** What IAM decided for one call: the service's error when denied, else what the handler must honour. */
export interface CallAuthorization {
  denied?: SimApiError;
  partial?: Pick<CallContext, "undeletableSnapshots" | "roleTrustsCaller">;
}

/**
 * Authorises one call: a governed principal's identity policies (others pass unevaluated) and, for
 * AssumeRole, the target role's trust policy (for every caller, as in AWS).
 */
export async function authorizeCall(
  iam: IamAuthorizer,
  world: SimWorld,
  call: CallContext,
  service: string,
  operation: string,
  // biome-ignore lint/suspicious/noExplicitAny: command inputs, read by field name.
  input: any,
): Promise<CallAuthorization> {
  const authorization = await authorizeGoverned(iam, world, call, service, operation, input);
  if (authorization.denied || service !== "STS" || operation !== "AssumeRole") return authorization;
  return {
    ...authorization,
    partial: { ...authorization.partial, roleTrustsCaller: await roleTrustsCaller(world, call, input) },
  };
}

/**
 * Authorises one call of a governed principal (others pass unevaluated). An operation the request
 * model does not know fails loudly: it would otherwise pass without a decision.
 */
async function authorizeGoverned(
  iam: IamAuthorizer,
  world: SimWorld,
  call: CallContext,
  service: string,
  operation: string,
  // biome-ignore lint/suspicious/noExplicitAny: command inputs, read by field name.
  input: any,
): Promise<CallAuthorization> {
  if (!iam.governs(call.principalArn)) return {};
  const requests = iamRequestsFor(world, call, service, operation, input);
  if (!requests) {
    throw new Error(`the simulated account has no IAM request model for ${service} ${operation}`);
  }
  const denial = await iam.authorize(call.principalArn, requests);
  if (denial) return { denied: accessDeniedError(service, denial) };
  if (service === "EC2" && operation === "DeregisterImage" && input.DeleteAssociatedSnapshots) {
    return { partial: { undeletableSnapshots: await undeletableSnapshots(iam, world, call, input.ImageId) } };
  }
  return {};
}

/** DeleteAssociatedSnapshots deletes each snapshot as the caller: the ones its ec2:DeleteSnapshot does not cover. */
async function undeletableSnapshots(
  iam: IamAuthorizer,
  world: SimWorld,
  call: CallContext,
  imageId: string,
): Promise<Set<string>> {
  const state = world.region(call.region);
  const denied = new Set<string>();
  for (const device of state.images.get(imageId)?.blockDevices ?? []) {
    const snapshot = state.snapshots.get(device.snapshotId);
    // A snapshot already gone is no deletion EC2 asks IAM about.
    if (!snapshot) continue;
    const refused = await iam.authorize(call.principalArn, [
      {
        action: "ec2:DeleteSnapshot",
        resource: snapshotArn(call.region, device.snapshotId),
        context: { "ec2:Region": call.region, ...resourceTagContext(snapshot.tags) },
      },
    ]);
    if (refused) denied.add(device.snapshotId);
  }
  return denied;
}
