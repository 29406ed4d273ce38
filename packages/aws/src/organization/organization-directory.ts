import type { AccountListing, OrganizationAccount, OrganizationDirectoryPort } from "@ami-lifecycle/core";
import {
  type Account,
  type OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from "@aws-sdk/client-organizations";
import { unreachableReason } from "./assumed-roles";

/** The id of an OU or root from its ARN (`…:ou/o-x/ou-y` → `ou-y`), or the id itself. */
export function parentIdOf(parent: string): string {
  return parent.startsWith("arn:") ? String(parent.split("/").pop()) : parent;
}

function toAccount(account: Account): OrganizationAccount {
  return {
    accountId: String(account.Id),
    name: account.Name ?? "",
    status: String(account.State ?? account.Status ?? ""),
  };
}

/**
 * AWS Organizations read through a client of the management or a delegated-administrator account (the
 * caller builds it, from the operator's managementRoleArn when set). A listing that fails is a result
 * naming the parent and why, so the sweep can report it and keep what those accounts could use.
 */
export class OrganizationsDirectory implements OrganizationDirectoryPort {
  constructor(private readonly organizations: () => Promise<OrganizationsClient>) {}

  /** Every account of the organization (ListAccounts). */
  async allAccounts(): Promise<AccountListing> {
    return this.listing("organization", async (client) => {
      const accounts: OrganizationAccount[] = [];
      for await (const page of paginateListAccounts({ client }, {}))
        accounts.push(...(page.Accounts ?? []).map(toAccount));
      return accounts;
    });
  }

  /** Every account under the OU or root, walking nested OUs (ListAccountsForParent, ListOrganizationalUnitsForParent). */
  async accountsUnder(parent: string): Promise<AccountListing> {
    return this.listing(parent, async (client) => {
      const accounts: OrganizationAccount[] = [];
      const pending = [parentIdOf(parent)];
      while (pending.length > 0) {
        const parentId = String(pending.shift());
        for await (const page of paginateListAccountsForParent({ client }, { ParentId: parentId })) {
          accounts.push(...(page.Accounts ?? []).map(toAccount));
        }
        for await (const page of paginateListOrganizationalUnitsForParent(
          { client },
          { ParentId: parentId },
        )) {
          pending.push(...(page.OrganizationalUnits ?? []).flatMap((unit) => (unit.Id ? [unit.Id] : [])));
        }
      }
      return accounts;
    });
  }

  private async listing(
    parent: string,
    list: (client: OrganizationsClient) => Promise<OrganizationAccount[]>,
  ): Promise<AccountListing> {
    try {
      return { kind: "listed", parent, accounts: await list(await this.organizations()) };
    } catch (error) {
      return {
        kind: "unlisted",
        parent,
        reason: unreachableReason(error),
        message: `could not list the accounts of ${parent}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }
}
