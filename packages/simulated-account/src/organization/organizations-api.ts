import { paginate } from "../ec2/common";
import { SimApiError } from "../errors";
import type { CallContext, SimWorld } from "../world";
import type { OrganizationView } from "./view";

// biome-ignore lint/suspicious/noExplicitAny: Organizations inputs, read by field name.
type AnyInput = any;

/** The organization, when the caller's account may read it (management account or delegated administrator). */
function readable(world: SimWorld): OrganizationView {
  const organization = world.organization;
  if (!organization) {
    throw new SimApiError(
      "AWSOrganizationsNotInUseException",
      "Your account is not a member of an organization.",
    );
  }
  if (!organization.mayReadOrganization(world.accountId)) {
    throw new SimApiError(
      "AccessDeniedException",
      "You don't have permissions to access this resource: the account is neither the management account nor a delegated administrator.",
    );
  }
  return organization;
}

function renderAccount(
  organization: OrganizationView,
  member: ReturnType<OrganizationView["members"]>[number],
) {
  return {
    Id: member.accountId,
    Arn: `arn:aws:organizations::${organization.managementAccountId}:account/${organization.organizationId}/${member.accountId}`,
    Email: `${member.name}@example.com`,
    Name: member.name,
    Status: "ACTIVE",
    State: "ACTIVE",
    JoinedMethod: member.accountId === organization.managementAccountId ? "CREATED" : "INVITED",
    JoinedTimestamp: member.joinedAt,
  };
}

function requireParent(organization: OrganizationView, parentId: string): void {
  if (parentId === organization.rootId) return;
  if (!organization.organizationalUnits().some((ou) => ou.id === parentId)) {
    throw new SimApiError("ParentNotFoundException", `The parent '${parentId}' does not exist.`);
  }
}

function page<T>(items: T[], input: AnyInput, key: string) {
  const { page: items_, nextToken } = paginate(items, input.MaxResults, input.NextToken);
  return { [key]: items_, ...(nextToken ? { NextToken: nextToken } : {}) };
}

/** The AWS Organizations read APIs the service uses to find consumer accounts. */
export const organizationsHandlers = {
  ListAccounts(world: SimWorld, _call: CallContext, input: AnyInput) {
    const organization = readable(world);
    return page(
      organization.members().map((m) => renderAccount(organization, m)),
      input,
      "Accounts",
    );
  },
  ListAccountsForParent(world: SimWorld, _call: CallContext, input: AnyInput) {
    const organization = readable(world);
    requireParent(organization, String(input.ParentId));
    const members = organization.members().filter((m) => m.parentId === input.ParentId);
    return page(
      members.map((m) => renderAccount(organization, m)),
      input,
      "Accounts",
    );
  },
  ListOrganizationalUnitsForParent(world: SimWorld, _call: CallContext, input: AnyInput) {
    const organization = readable(world);
    requireParent(organization, String(input.ParentId));
    const units = organization
      .organizationalUnits()
      .filter((ou) => ou.parentId === input.ParentId)
      .map((ou) => ({ Id: ou.id, Arn: ou.arn, Name: ou.name }));
    return page(units, input, "OrganizationalUnits");
  },
  ListChildren(world: SimWorld, _call: CallContext, input: AnyInput) {
    const organization = readable(world);
    requireParent(organization, String(input.ParentId));
    const children =
      input.ChildType === "ACCOUNT"
        ? organization
            .members()
            .filter((m) => m.parentId === input.ParentId)
            .map((m) => ({ Id: m.accountId, Type: "ACCOUNT" }))
        : organization
            .organizationalUnits()
            .filter((ou) => ou.parentId === input.ParentId)
            .map((ou) => ({ Id: ou.id, Type: "ORGANIZATIONAL_UNIT" }));
    return page(children, input, "Children");
  },
  ListRoots(world: SimWorld, _call: CallContext, input: AnyInput) {
    const organization = readable(world);
    const root = {
      Id: organization.rootId,
      Arn: `arn:aws:organizations::${organization.managementAccountId}:root/${organization.organizationId}/${organization.rootId}`,
      Name: "Root",
    };
    return page([root], input, "Roots");
  },
};
