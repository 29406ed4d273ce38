import type { ImageReference } from "../model";

/** The resource types an AMI usage report counts (aws-facts §5). */
export type UsageReportResourceType = "ec2:Instance" | "ec2:LaunchTemplate";

/** One AMI usage report of the owner account, as EC2 describes it. */
export interface UsageReportStatus {
  reportId: string;
  imageId: string;
  region: string;
  state: "pending" | "available" | "error";
  createdAt: Date;
  /** AWS deletes the report at this instant (30 days after creation) */
  expiresAt: Date;
}

/** What a usage report says one account does with the image. */
export interface ImageUsageEntry {
  accountId: string;
  resourceType: string;
  usageCount: number;
}

/** AMI usage reports of the owner account (CreateImageUsageReport and friends), one image per report. */
export interface UsageReportPort {
  /** The image's live report with every account, instances and launch templates; created when there is none. */
  ensureReport(region: string, imageId: string): Promise<UsageReportStatus>;
  /**
   * The same for many images of one region, described together; a failed creation is that image's
   * answer (every image asked for has one).
   */
  ensureReports(region: string, imageIds: readonly string[]): Promise<Map<string, UsageReportStatus | Error>>;
  /** The report as EC2 describes it now; undefined when it no longer exists (expired or deleted). */
  readReport(region: string, reportId: string): Promise<UsageReportStatus | undefined>;
  /** Every entry of an available report (a pending report has none). */
  entries(region: string, reportId: string): Promise<ImageUsageEntry[]>;
  /** Deletes the report; a report already gone is not an error. */
  deleteReport(region: string, reportId: string): Promise<void>;
}

/** Why a consumer account could not be checked; each keeps every candidate the account could use. */
export type ConsumerUnreachableReason =
  /** AssumeRole refused: the role is missing or its trust policy does not allow the sweep */
  | "role-unavailable"
  /** the role was assumed but a read was denied */
  | "access-denied"
  /** throttled (or a transient failure) past the SDK's retries */
  | "throttled"
  | "failed";

/**
 * An image a consumer account owns that carries one of the families' watermarks: its own copy of a
 * shared version (or an image made from one). Reported, never retired: it is the consumer's.
 */
export interface ConsumerImageCopy {
  imageId: string;
  name?: string;
  /** the family watermark keys it carries (`<owner account>:ami-lifecycle-<family>`) */
  watermarkKeys: string[];
}

/** The outcome of looking for references to shared images in one consumer account and region. */
export type ConsumerProbeResult =
  | {
      kind: "probed";
      accountId: string;
      region: string;
      references: ImageReference[];
      /** the account's own images with a watermark asked for (absent when none was asked for) */
      copies?: ConsumerImageCopy[];
    }
  | {
      kind: "unreachable";
      accountId: string;
      region: string;
      reason: ConsumerUnreachableReason;
      message: string;
    };

/** Looks, from inside a consumer account (an assumed read-only role), for what uses the owner's shared images. */
export interface ConsumerProbePort {
  /** With `watermarkKeys`, also the account's own images carrying any of them (DescribeImages, watermark filter). */
  probe(
    accountId: string,
    region: string,
    imageIds: readonly string[],
    watermarkKeys?: readonly string[],
  ): Promise<ConsumerProbeResult>;
}

/** One account of an AWS organization. */
export interface OrganizationAccount {
  accountId: string;
  name: string;
  status: string;
}

/** The accounts under an organization, OU or root, or why they could not be listed. */
export type AccountListing =
  | { kind: "listed"; parent: string; accounts: OrganizationAccount[] }
  | { kind: "unlisted"; parent: string; reason: ConsumerUnreachableReason; message: string };

/** AWS Organizations, read from the management or a delegated-administrator account. */
export interface OrganizationDirectoryPort {
  /** Every account of the organization. */
  allAccounts(): Promise<AccountListing>;
  /** Every account under an OU (its ARN or id) or root, nested OUs included. */
  accountsUnder(parent: string): Promise<AccountListing>;
}

/** Image watermarks of the owner account (AttachImageWatermark). */
export interface WatermarkPort {
  /** Attaches the watermark (again attaching it changes nothing); returns its key `accountId:name`. */
  attach(region: string, imageId: string, name: string): Promise<string>;
}
