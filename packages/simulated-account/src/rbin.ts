import type {
  CreateRuleCommandInput,
  DeleteRuleCommandInput,
  GetRuleCommandInput,
  ListRulesCommandInput,
} from "@aws-sdk/client-rbin";
import { SimApiError } from "./errors";
import type { RegionState, SimRecycleBinRule } from "./state";
import type { CallContext, SimWorld } from "./world";

/** The first retention rule of a region takes up to 30 minutes to become active (aws-facts §5). */
export const FIRST_RULE_ACTIVATION_MS = 30 * 60_000;

/** A resource tag of a rule, as the rbin API spells it. */
type RuleTag = { ResourceTagKey: string; ResourceTagValue?: string };

/** CreateRule input; ExcludeResourceTags (region-level exclusions) is newer than the pinned rbin client. */
type CreateRuleInput = CreateRuleCommandInput & { ExcludeResourceTags?: RuleTag[] };

const validation = (message: string) => new SimApiError("ValidationException", message);

/** ARN of a rule (rbin rules carry their account and region). */
export const ruleArn = (region: string, accountId: string, identifier: string) =>
  `arn:aws:rbin:${region}:${accountId}:rule/${identifier}`;

function validTags(field: string, tags: readonly RuleTag[] | undefined): RuleTag[] | undefined {
  if (tags === undefined) return undefined;
  if (tags.length < 1 || tags.length > 50) throw validation(`${field} must hold 1-50 tags.`);
  for (const tag of tags) {
    if (!tag.ResourceTagKey || tag.ResourceTagKey.length > 128)
      throw validation(`${field}: ResourceTagKey must be 1-128 characters.`);
  }
  return tags.map((tag) => ({ ...tag }));
}

/** A rule is active once its activation delay has passed; a pending rule retains nothing. */
export function isRuleActive(world: SimWorld, rule: SimRecycleBinRule): boolean {
  return rule.activeAt <= world.clock.nowMs();
}

const tagMatches = (tags: ReadonlyMap<string, string>, wanted: RuleTag) =>
  tags.has(wanted.ResourceTagKey) &&
  (wanted.ResourceTagValue === undefined || tags.get(wanted.ResourceTagKey) === wanted.ResourceTagValue);

/** Whether a resource with these tags is retained by the rule (tag-level: any tag; region-level: no exclusion). */
export function ruleMatches(rule: SimRecycleBinRule, tags: ReadonlyMap<string, string>): boolean {
  if (rule.resourceTags) return rule.resourceTags.some((tag) => tagMatches(tags, tag));
  return !(rule.excludeResourceTags ?? []).some((tag) => tagMatches(tags, tag));
}

/**
 * Retention in days for a resource being deleted now, or undefined when no active rule retains it.
 * Matching happens at deletion time; when several rules match, the longest retention wins (Recycle Bin docs).
 */
export function retentionDaysFor(
  world: SimWorld,
  region: RegionState,
  resourceType: SimRecycleBinRule["resourceType"],
  tags: ReadonlyMap<string, string>,
): number | undefined {
  const days = region.recycleBinRules
    .filter((rule) => rule.resourceType === resourceType && isRuleActive(world, rule))
    .filter((rule) => ruleMatches(rule, tags))
    .map((rule) => rule.retentionDays);
  return days.length > 0 ? Math.max(...days) : undefined;
}

function requireRule(region: RegionState, identifier: string | undefined): SimRecycleBinRule {
  const rule = region.recycleBinRules.find((candidate) => candidate.identifier === identifier);
  if (!rule) {
    throw new SimApiError("ResourceNotFoundException", `Rule ${identifier ?? ""} does not exist.`);
  }
  return rule;
}

function renderRule(world: SimWorld, rule: SimRecycleBinRule) {
  return {
    Identifier: rule.identifier,
    RuleArn: rule.arn,
    ResourceType: rule.resourceType,
    RetentionPeriod: { RetentionPeriodValue: rule.retentionDays, RetentionPeriodUnit: "DAYS" as const },
    ...(rule.description !== undefined ? { Description: rule.description } : {}),
    ...(rule.resourceTags ? { ResourceTags: rule.resourceTags.map((tag) => ({ ...tag })) } : {}),
    ...(rule.excludeResourceTags
      ? { ExcludeResourceTags: rule.excludeResourceTags.map((tag) => ({ ...tag })) }
      : {}),
    Status: isRuleActive(world, rule) ? ("available" as const) : ("pending" as const),
    LockState: rule.locked ? ("locked" as const) : undefined,
  };
}

/** Recycle Bin (rbin API) retention rules. */
export const rbinHandlers = {
  CreateRule(world: SimWorld, call: CallContext, input: CreateRuleInput) {
    const region = world.region(call.region);
    if (input.ResourceType !== "EC2_IMAGE" && input.ResourceType !== "EBS_SNAPSHOT")
      throw validation("ResourceType must be EC2_IMAGE or EBS_SNAPSHOT.");
    const value = input.RetentionPeriod?.RetentionPeriodValue;
    if (input.RetentionPeriod?.RetentionPeriodUnit !== "DAYS" || !Number.isInteger(value))
      throw validation("RetentionPeriod needs an integer RetentionPeriodValue and RetentionPeriodUnit DAYS.");
    const retentionDays = Number(value);
    if (retentionDays < 1 || retentionDays > 365)
      throw validation("RetentionPeriodValue must be between 1 and 365 days.");
    const resourceTags = validTags("ResourceTags", input.ResourceTags as RuleTag[] | undefined);
    const excludeResourceTags = validTags("ExcludeResourceTags", input.ExcludeResourceTags);
    if (resourceTags && excludeResourceTags)
      throw validation("A rule has either ResourceTags (tag-level) or ExcludeResourceTags (region-level).");
    // Only region-level rules can be locked (Recycle Bin docs).
    if (input.LockConfiguration && resourceTags)
      throw validation("LockConfiguration is supported only for region-level retention rules.");
    const now = world.clock.nowMs();
    // The region's first rule takes time to activate; rules created meanwhile share its activation.
    const firstActivation = Math.min(...region.recycleBinRules.map((rule) => rule.activeAt));
    const activeAt =
      region.recycleBinRules.length === 0 ? now + FIRST_RULE_ACTIVATION_MS : Math.max(now, firstActivation);
    const identifier = world.ids.resourceId("rule").slice(5, 16);
    const rule: SimRecycleBinRule = {
      identifier,
      arn: ruleArn(call.region, world.accountId, identifier),
      resourceType: input.ResourceType,
      retentionDays,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      ...(resourceTags ? { resourceTags } : {}),
      ...(excludeResourceTags ? { excludeResourceTags } : {}),
      activeAt,
      locked: input.LockConfiguration !== undefined,
      sequence: world.nextSequence(),
    };
    region.recycleBinRules.push(rule);
    return renderRule(world, rule);
  },

  GetRule(world: SimWorld, call: CallContext, input: GetRuleCommandInput) {
    return renderRule(world, requireRule(world.region(call.region), input.Identifier));
  },

  ListRules(world: SimWorld, call: CallContext, input: ListRulesCommandInput) {
    if (input.ResourceType !== "EC2_IMAGE" && input.ResourceType !== "EBS_SNAPSHOT")
      throw validation("ResourceType must be EC2_IMAGE or EBS_SNAPSHOT.");
    const wanted = (input.ResourceTags ?? []) as RuleTag[];
    const rules = world
      .region(call.region)
      .recycleBinRules.filter((rule) => rule.resourceType === input.ResourceType)
      .filter((rule) =>
        wanted.every((tag) =>
          (rule.resourceTags ?? []).some(
            (own) =>
              own.ResourceTagKey === tag.ResourceTagKey && own.ResourceTagValue === tag.ResourceTagValue,
          ),
        ),
      )
      .filter((rule) => input.LockState === undefined || (input.LockState === "locked") === rule.locked);
    // ListRules summarises (RuleSummary): no status, resource type or tags; GetRule has them.
    return {
      Rules: rules.map((rule) => {
        const { Identifier, RuleArn, RetentionPeriod, Description, LockState } = renderRule(world, rule);
        return { Identifier, RuleArn, RetentionPeriod, Description, LockState };
      }),
    };
  },

  DeleteRule(world: SimWorld, call: CallContext, input: DeleteRuleCommandInput) {
    const region = world.region(call.region);
    const rule = requireRule(region, input.Identifier);
    if (rule.locked) throw new SimApiError("ConflictException", `Rule ${rule.identifier} is locked.`);
    region.recycleBinRules = region.recycleBinRules.filter((candidate) => candidate !== rule);
    return {};
  },
};

/** Options of a rule seeded as if created long before the test (active at once). */
export interface SeedRuleOptions {
  resourceType: SimRecycleBinRule["resourceType"];
  retentionDays: number;
  resourceTags?: RuleTag[];
  excludeResourceTags?: RuleTag[];
  description?: string;
}

/** Seeds an active rule without the first-rule delay (a deployment made before the test); returns its id. */
export function seedRule(world: SimWorld, region: string, options: SeedRuleOptions): string {
  const identifier = world.ids.resourceId("rule").slice(5, 16);
  world.region(region).recycleBinRules.push({
    identifier,
    arn: ruleArn(region, world.accountId, identifier),
    resourceType: options.resourceType,
    retentionDays: options.retentionDays,
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(options.resourceTags ? { resourceTags: options.resourceTags.map((tag) => ({ ...tag })) } : {}),
    ...(options.excludeResourceTags
      ? { excludeResourceTags: options.excludeResourceTags.map((tag) => ({ ...tag })) }
      : {}),
    activeAt: world.clock.nowMs(),
    locked: false,
    sequence: world.nextSequence(),
  });
  return identifier;
}
