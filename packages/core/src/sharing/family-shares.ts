import type { FamilyConfig } from "../config";

/**
 * True when the family's config shares its versions with an account, organization or OU. Only then do
 * retirement steps read launch permissions (to record and revoke them): for a family that shares with
 * no one there is nothing the service granted, and DisableImage and deregistration remove any
 * permission someone else added.
 */
export function sharesWithSomeone(family: FamilyConfig): boolean {
  const { accounts, organizationArns, organizationalUnitArns } = family.sharing;
  return accounts.length + organizationArns.length + organizationalUnitArns.length > 0;
}
