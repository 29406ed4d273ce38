import type { ConsumerUnreachableReason } from "@ami-lifecycle/core";
import { AwsOperationError, TransientAwsError } from "@ami-lifecycle/core";
import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import { awsErrorCode, isTransientAwsError } from "../errors";

/** Temporary credentials of an assumed role, in the shape every SDK v3 client takes as `credentials`. */
export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Codes that mean "this principal may not": IAM, STS and EC2 spellings. */
const deniedCodes = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "AuthFailure",
]);

/** A role that could not be assumed: its account and why, kept for the sweep's fail-safe. */
export class RoleUnavailableError extends Error {
  override name = "RoleUnavailableError";
  constructor(
    readonly roleArn: string,
    readonly reason: ConsumerUnreachableReason,
    options?: { cause?: unknown },
  ) {
    super(`could not assume ${roleArn} (${reason})`, options);
  }
}

/** Why a call to another account failed, from the error it threw (translated or raw SDK error). */
export function unreachableReason(error: unknown): ConsumerUnreachableReason {
  if (error instanceof RoleUnavailableError) return error.reason;
  if (error instanceof TransientAwsError) return "throttled";
  const code = error instanceof AwsOperationError ? error.code : awsErrorCode(error);
  if (deniedCodes.has(code)) return "access-denied";
  return isTransientAwsError(error) ? "throttled" : "failed";
}

/**
 * Credentials of roles in other accounts, assumed once per role and region for the lifetime of this
 * object (one sweep), so each consumer account costs one AssumeRole per region.
 */
export class AssumedRoleSessions {
  private readonly sessions = new Map<string, Promise<AwsCredentialIdentity>>();

  constructor(
    private readonly sts: (region: string) => STSClient,
    private readonly options: { sessionName: string; externalId?: string },
  ) {}

  /** The role's credentials, or RoleUnavailableError (role missing or not trusting us → role-unavailable). */
  credentials(roleArn: string, region: string): Promise<AwsCredentialIdentity> {
    const key = `${region}|${roleArn}`;
    let session = this.sessions.get(key);
    if (!session) {
      session = this.assume(roleArn, region);
      // A failed attempt is not cached: the next sweep (or a later call) tries again.
      session.catch(() => this.sessions.delete(key));
      this.sessions.set(key, session);
    }
    return session;
  }

  private async assume(roleArn: string, region: string): Promise<AwsCredentialIdentity> {
    try {
      const { Credentials } = await this.sts(region).send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: this.options.sessionName,
          ...(this.options.externalId ? { ExternalId: this.options.externalId } : {}),
        }),
      );
      if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey) {
        throw new RoleUnavailableError(roleArn, "failed");
      }
      return {
        accessKeyId: Credentials.AccessKeyId,
        secretAccessKey: Credentials.SecretAccessKey,
        ...(Credentials.SessionToken ? { sessionToken: Credentials.SessionToken } : {}),
        ...(Credentials.Expiration ? { expiration: Credentials.Expiration } : {}),
      };
    } catch (error) {
      if (error instanceof RoleUnavailableError) throw error;
      // STS answers AccessDenied both for a missing role and for a trust policy that does not allow us.
      const reason = deniedCodes.has(awsErrorCode(error)) ? "role-unavailable" : unreachableReason(error);
      throw new RoleUnavailableError(roleArn, reason, { cause: error });
    }
  }
}

/** ARN of the named role in an account (same partition as the region). */
export function roleArnIn(accountId: string, roleName: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}
