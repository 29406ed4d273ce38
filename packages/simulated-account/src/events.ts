/** An event as EventBridge delivers it to a rule target. */
export interface EventBridgeEvent<Detail = Record<string, unknown>> {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Detail;
}

/** Detail of the native "EC2 AMI State Change" event. */
export interface AmiStateChangeDetail {
  RequestId: string;
  ImageId: string;
  State: "available" | "failed" | "deregistered" | "disabled";
  ErrorMessage: string;
}

/** EventBridge times have second precision and a Z suffix. */
export function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Query-API list names that differ from the SDK member names (as CloudTrail records them). */
const WIRE_LIST_NAMES: Record<string, string> = {
  BlockDeviceMappings: "blockDeviceMapping",
  TagSpecifications: "tagSpecificationSet",
};

const lowerCamel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/**
 * Renders an SDK command input as CloudTrail's `requestParameters`: lowerCamel Query-API names, lists
 * as `{ items: [...] }` except the tags inside a tag specification, which CloudTrail shows as a plain list.
 */
export function toRequestParameters(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || key === "DryRun") continue;
    out[WIRE_LIST_NAMES[key] ?? lowerCamel(key)] = renderValue(key, value);
  }
  return out;
}

function renderValue(key: string, value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map((item) => renderValue("", item));
    return key === "Tags" ? items : { items };
  }
  if (value !== null && typeof value === "object")
    return toRequestParameters(value as Record<string, unknown>);
  return value;
}

/** Builds CloudTrail's `userIdentity` from the caller's principal ARN. */
export function userIdentity(principalArn: string, accountId: string): Record<string, unknown> {
  const assumed = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(principalArn);
  if (assumed) {
    const [, account, role, session] = assumed as unknown as [string, string, string, string];
    const roleArn = `arn:aws:iam::${account}:role/${role}`;
    return {
      type: "AssumedRole",
      principalId: `AROASIMULATED:${session}`,
      arn: principalArn,
      accountId: account,
      sessionContext: {
        sessionIssuer: {
          type: "Role",
          principalId: "AROASIMULATED",
          arn: roleArn,
          accountId: account,
          userName: role,
        },
        attributes: { creationDate: "2026-01-01T00:00:00Z", mfaAuthenticated: "false" },
      },
    };
  }
  const user = /^arn:aws:iam::(\d{12}):user\/(?:.*\/)?([^/]+)$/.exec(principalArn);
  if (user) {
    return {
      type: "IAMUser",
      principalId: "AIDASIMULATED",
      arn: principalArn,
      accountId: user[1],
      userName: user[2],
    };
  }
  return { type: "Root", principalId: accountId, arn: principalArn, accountId };
}
