// How a configured `kmsKeyId` names its key. A module of its own so that the Lambda bundles, which
// classify key references at runtime, do not carry permissions.ts's IAM tables (about 9 KB each).

/** The alias that, in `copyTo[].kmsKeyId`, asks the stack to create the destination region's key. */
export const stackManagedKeyAlias = "alias/ami-lifecycle";

/** True when a configured `kmsKeyId` names the key the stack creates (`alias/ami-lifecycle` or its alias ARN). */
export function isStackManagedKeyRef(kmsKeyId: string): boolean {
  return (
    kmsKeyId === stackManagedKeyAlias ||
    /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:alias\/ami-lifecycle$/.test(kmsKeyId)
  );
}

/** How a configured `kmsKeyId` names its key. */
export type KeyRef =
  /** the stack creates the key and the `alias/ami-lifecycle` alias in the destination region */
  | { kind: "stackManaged" }
  | { kind: "keyArn"; arn: string }
  | { kind: "keyId"; keyId: string }
  /** an existing alias; IAM can't name a key by alias, so the stack looks the key up */
  | { kind: "alias"; name: string };

/** Classifies a configured `kmsKeyId` (validated by the config schema). */
export function parseKeyRef(kmsKeyId: string): KeyRef {
  if (isStackManagedKeyRef(kmsKeyId)) return { kind: "stackManaged" };
  if (kmsKeyId.startsWith("alias/")) return { kind: "alias", name: kmsKeyId };
  const alias = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(alias\/.+)$/.exec(kmsKeyId)?.[1];
  if (alias) return { kind: "alias", name: alias };
  if (kmsKeyId.startsWith("arn:")) return { kind: "keyArn", arn: kmsKeyId };
  return { kind: "keyId", keyId: kmsKeyId };
}
