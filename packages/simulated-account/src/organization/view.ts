import type { UsageReportTiming } from "../ec2/usage-reports";
import type { SimImage } from "../state";
import type { SimWorld } from "../world";
import type { StsBackend } from "./sts";

/** One account of the simulated organization as the others see it. */
export interface OrganizationMember {
  accountId: string;
  name: string;
  /** ARN of the OU it sits in; undefined directly under the root */
  ouArn?: string;
}

/** What an account of a simulated organization sees of the others (SimWorld.organization). */
export interface OrganizationView {
  organizationId: string;
  organizationArn: string;
  managementAccountId: string;
  usageReportTiming: UsageReportTiming;
  /** every account's state, the management account's first */
  accountWorlds(): SimWorld[];
  /** an image of another account usable by `world`'s account in the region (launch permissions), or undefined */
  usableImage(world: SimWorld, region: string, imageId: string): SimImage | undefined;
  /** every image of other accounts usable by `world`'s account in the region, with its owner's state */
  usableImages(world: SimWorld, region: string): { image: SimImage; owner: SimWorld }[];
  /** roles and sessions for AssumeRole */
  sts: StsBackend;
  rootId: string;
  /** the OUs, parent first */
  organizationalUnits(): { id: string; arn: string; name: string; parentId: string }[];
  members(): (OrganizationMember & { parentId: string; joinedAt: Date })[];
  /** may call the Organizations read APIs: the management account and delegated administrators */
  mayReadOrganization(accountId: string): boolean;
}

/** True when the launch permissions let the member launch the image (user id, organization, OU, public). */
export function canLaunch(image: SimImage, member: OrganizationMember, organizationArn: string): boolean {
  if (image.state !== "available") return false;
  return image.launchPermissions.some(
    (entry) =>
      entry === "group:all" ||
      entry === `userId:${member.accountId}` ||
      entry === `organizationArn:${organizationArn}` ||
      (member.ouArn !== undefined && entry === `organizationalUnitArn:${member.ouArn}`),
  );
}
