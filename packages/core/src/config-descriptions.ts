/**
 * The description of every configuration field, by its path (`families[]` is each family): the JSON
 * Schema editors show (`renderConfigJsonSchema`). Kept out of the zod schema so that the Lambda bundles,
 * which parse the config but never render its schema, do not carry the texts (issue 14, bundle bytes).
 * A unit test checks that every field of the schema has exactly one entry here.
 */
export const configFieldDescriptions: Readonly<Record<string, string>> = {
  $schema: "path of this JSON Schema, for editors",
  accounts: "accounts whose own images are managed; images owned by anyone else are never touched",
  homeRegion: "region of the registry, the handlers and the home event bus",
  regions:
    "every region where images are watched and retired (must include homeRegion and every copy destination)",
  allowUnknownRegions:
    "accept region names the bundled AWS SDK does not know yet (a new region); validate warns about each",
  mode: "dry-run (default) computes and reports; enforce applies retirement",
  sweep: "when the retention sweep runs",
  "sweep.schedule": "EventBridge Scheduler expression",
  "sweep.timezone": "IANA time zone of the schedule",
  "sweep.concurrency":
    "families a sweep works on at once; EC2 calls stay within its token buckets (paced), so more only fills them faster",
  notifications: "who is told about new versions, failures and retirements",
  "notifications.subscriptions": "team name → e-mail or HTTPS endpoints subscribed with a filter on `team`",
  "notifications.security": "endpoints of the security topic (public-sharing alerts)",
  "notifications.operations": "endpoints that receive every message unfiltered, including CloudWatch alarms",
  "notifications.noticeDays":
    "a retention-summary with no change or failure is sent only when a step is due within this many days",
  "notifications.digest":
    "a weekly digest per family to its team: its versions and what is coming (off unless enabled)",
  "notifications.digest.time":
    "not before this local time of the sweep's time zone (default: any sweep that day)",
  pointers: "SSM parameters pointing at each family's latest and pinned versions, per region",
  "pointers.namePattern": "SSM parameter name of a pointer; {family} and {channel} are replaced",
  "pointers.protectionCooldown":
    "every image a pointer names has deregistration protection; with cooldown it stays protected 24 h after the pointer moves on",
  guard: "the public-sharing guard",
  "guard.publicImages": "a managed image made public is made private again (revert) or only reported (alert)",
  report: "the HTML report: snapshot storage prices",
  "report.snapshotPrices": "snapshot storage price per GiB-month by region, and the date the prices are from",
  organization: "consumer accounts of shared images: probe role, usage reports (absent: off)",
  "organization.consumerRoleName":
    "read-only role the sweep assumes in every consumer account to look for references",
  "organization.externalId": "external id the consumer role's trust policy requires (sts:ExternalId)",
  "organization.managementRoleArn":
    "role in the management or a delegated-administrator account that lists the accounts of shared organizations and OUs",
  "organization.operatorRoleArns":
    "roles operators run `ami-lifecycle plan --stage` as: the consumer and reader roles also trust them (reads only), so the plan sees the consumers' evidence",
  "organization.consumerTopicArn":
    "SNS topic consumer accounts subscribe to (filter on the consumerAccount attribute): each one still using a version due to retire is told what uses it and when its steps come",
  "organization.consumerEventBuses":
    "per consumer account, the ARN of an event bus of that account that also gets its schedule notices (its bus policy must let the sweep's role put events)",
  "organization.usageReportLagDays":
    "an AMI usage report showing no use counts as evidence only once older than this (AWS: recent launches and template changes may be missing)",
  "organization.versionDepth": "launch template versions, newest first, usage reports and probes look at",
  "organization.consumerRoleStackSet":
    "the stacks deploy the consumer role as a service-managed StackSet (auto-deployment on); absent: no StackSet",
  "organization.consumerRoleStackSet.targets":
    "roots and OUs whose accounts get the consumer role; default: the OUs the families share with",
  "organization.consumerRoleStackSet.callAs":
    "SELF when the service is deployed in the management account, DELEGATED_ADMIN in a delegated CloudFormation administrator",
  families: "the managed image families; an image matching none is never touched",
  "families[].name": "unique name of the family; written in the ami-lifecycle:family tag",
  "families[].team": "team notified about the family's versions",
  "families[].match": "how an image is recognised as a version of this family",
  "families[].match.namePattern":
    "glob on the image name, anchored: `*` any run of characters, `?` one character, all else literal",
  "families[].match.tags": "tags the image must carry with these exact values",
  "families[].copyTo": "regions every version is copied to, encrypted with a KMS key of that region",
  "families[].retention": "when old versions are retired",
  "families[].retention.keepLatest": "the newest N available versions are always kept",
  "families[].retention.minAgeDays": "versions younger than this are kept",
  "families[].retention.deprecateAfterDays": "grace between becoming a retirement candidate and deprecation",
  "families[].retention.disableAfterDays": "grace between deprecation and DisableImage",
  "families[].retention.deregisterAfterDays":
    "grace between disabling and deregistration (with snapshot deletion)",
  "families[].retention.keepTag": "an image carrying this tag (with this value, when given) is never retired",
  "families[].retention.unusedForDays":
    "keep images launched within this many days (LastLaunchedTime lags up to 24 h)",
  "families[].retention.maxDeletionsPerRun": "at most this many deregistrations per family and sweep",
  "families[].retention.maxRequestedDeletions":
    "the largest one-off cap a requested sweep (`ami-lifecycle sweep --max-deletions N`) may set; absent: maxDeletionsPerRun (a request can lower the cap, not raise it)",
  "families[].retention.recoverableForDays":
    "deregistered versions stay restorable from the Recycle Bin this long; 0: deregistration is final",
  "families[].retention.restoredHoldDays": "a restored version is held from retirement this long",
  "families[].adopt":
    "the sweep adopts existing unmanaged images matching this family (planned in dry-run, applied in enforce)",
  "families[].maxCopyAttempts": "failed copies are retried up to this many attempts in all",
  "families[].sharing": "consumers the versions are shared with; removed consumers are revoked",
  "families[].sharing.accounts": "consumer accounts granted launch permission",
  "families[].sharing.organizationArns": "organizations whose every account may launch the images",
  "families[].sharing.organizationalUnitArns": "organizational units whose accounts may launch the images",
  "families[].sharing.createVolumePermission":
    "also grant the consumer accounts createVolumePermission on the images' snapshots",
  "families[].channels":
    "pinned channels operators move with `ami-lifecycle promote` (such as stable); latest is automatic",
};

/** A JSON Schema node, as far as the descriptions need it. */
interface SchemaNode {
  [keyword: string]: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode | SchemaNode[];
}

/** The fields of a JSON Schema, each with its path in `configFieldDescriptions`'s notation and its node. */
export function schemaFields(schema: object): [path: string, node: SchemaNode][] {
  const fields: [string, SchemaNode][] = [];
  const walk = (node: SchemaNode, path: string) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      const childPath = path === "" ? name : `${path}.${name}`;
      fields.push([childPath, child]);
      walk(child, childPath);
      if (child.items && !Array.isArray(child.items)) walk(child.items, `${childPath}[]`);
    }
  };
  walk(schema as SchemaNode, "");
  return fields;
}

/** The fields of a config JSON Schema that `configFieldDescriptions` has no entry for. */
export function undescribedFields(schema: object): string[] {
  return schemaFields(schema)
    .map(([path]) => path)
    .filter((path) => configFieldDescriptions[path] === undefined);
}

/**
 * Gives the fields of the config's JSON Schema their descriptions, placed where zod's own `describe`
 * put them (after `default`, else first). Throws naming the entries that name no field (a renamed field).
 */
export function withFieldDescriptions<S extends object>(schema: S): S {
  const known = new Set(schemaFields(schema).map(([path]) => path));
  const unused = Object.keys(configFieldDescriptions).filter((path) => !known.has(path));
  if (unused.length > 0)
    throw new Error(`config descriptions name no field of the schema: ${unused.join(", ")}`);
  const describe = (node: SchemaNode, path: string): SchemaNode => {
    const properties = node.properties
      ? Object.fromEntries(
          Object.entries(node.properties).map(([name, child]) => {
            const childPath = path === "" ? name : `${path}.${name}`;
            const described = describe(child, childPath);
            const description = configFieldDescriptions[childPath];
            if (description === undefined) return [name, described];
            const { default: defaultValue, ...rest } = described;
            const ordered: SchemaNode =
              "default" in described
                ? { default: defaultValue, description, ...rest }
                : { description, ...rest };
            return [name, ordered];
          }),
        )
      : undefined;
    const items = node.items && !Array.isArray(node.items) ? describe(node.items, `${path}[]`) : node.items;
    return {
      ...node,
      ...(properties ? { properties } : {}),
      ...(items ? { items } : {}),
    };
  };
  return describe(schema as SchemaNode, "") as S;
}
