import { mapWithConcurrency } from "../concurrency";
import type { FamilyConfig } from "../config";
import type { Notifier } from "../ports";
import { watermarkKey } from "../sharing/watermark";
import type { OrganizationConfig } from "./config";
import type { ConsumerEventPort } from "./consumer-events";
import { type BlockingEvidence, evidenceKey, type ImageEvidence } from "./consumer-evidence";
import { usageReportIsConclusive } from "./evidence";
import type {
  AccountListing,
  ConsumerImageCopy,
  ConsumerProbePort,
  ConsumerUnreachableReason,
  ImageUsageEntry,
  OrganizationDirectoryPort,
  UsageReportPort,
  UsageReportStatus,
} from "./ports";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Calls to other accounts (or usage reports) in flight at once: each account and region has its own buckets. */
const inFlight = 8;

/** The ports cross-account evidence is read through (issue #16). */
export interface CrossAccountPorts {
  usageReports: UsageReportPort;
  probes: ConsumerProbePort;
  /** AWS Organizations through the management role; absent: organizations and OUs cannot be listed */
  directory?: OrganizationDirectoryPort;
  /** the consumers' topic (`organization.consumerTopicArn`); absent: consumers are not told */
  consumerNotifier?: Notifier;
  /** the buses consumers named (`organization.consumerEventBuses`); absent: no bus event is put */
  consumerEvents?: ConsumerEventPort;
}

/** An image of a version the plan would retire. */
export interface EvidenceCandidate {
  family: FamilyConfig;
  region: string;
  imageId: string;
}

/** A consumer account (or organization / OU) the sweep could not check, for the operator's notice. */
export interface UnreachableConsumer {
  account: string;
  region?: string;
  reason: ConsumerUnreachableReason;
  message: string;
}

/** A consumer account's own image carrying a family's watermark, found by the probe there. */
export interface ConsumerCopy {
  account: string;
  region: string;
  imageId: string;
  name?: string;
  family: string;
  watermarkKey: string;
}

/** True when the family shares its images outside the owner account. */
export function sharesOutside(family: FamilyConfig): boolean {
  const { accounts, organizationArns, organizationalUnitArns } = family.sharing;
  return accounts.length + organizationArns.length + organizationalUnitArns.length > 0;
}

/**
 * The cross-account evidence of one sweep: who the consumers of each family are (shares, organizations
 * and OUs listed once per sweep, accounts the usage reports name), the usage report of every candidate
 * image (created when it becomes a candidate, reused until it expires), and a probe in every consumer
 * account and region. Whatever cannot be read keeps the image (fail safe). Images of families that
 * share with nobody get no evidence: there are no consumers to protect.
 */
export class CrossAccountEvidence {
  /** evidence per image (`evidenceKey`), for the planner's consumer-evidence rule */
  readonly evidence = new Map<string, ImageEvidence>();
  /** usage reports this sweep relied on, per image key */
  readonly reports = new Map<string, UsageReportStatus>();
  private readonly listings = new Map<string, Promise<AccountListing>>();
  private readonly unreachable = new Map<string, UnreachableConsumer>();
  private readonly copies = new Map<string, ConsumerCopy>();
  private readonly owners: ReadonlySet<string>;

  constructor(
    private readonly ports: CrossAccountPorts,
    private readonly config: OrganizationConfig,
    private readonly options: { now: Date; ownerAccounts: readonly string[] },
  ) {
    this.owners = new Set(options.ownerAccounts);
  }

  /** Gathers the evidence of every candidate not gathered yet in this sweep. */
  async gather(candidates: readonly EvidenceCandidate[]): Promise<void> {
    const fresh = new Map<string, EvidenceCandidate>();
    for (const candidate of candidates) {
      const key = evidenceKey(candidate.region, candidate.imageId);
      if (sharesOutside(candidate.family) && !this.evidence.has(key)) fresh.set(key, candidate);
    }
    if (fresh.size === 0) return;
    const consumers = new Map<string, { accounts: Set<string>; blocking: BlockingEvidence[] }>();
    for (const candidate of fresh.values()) {
      if (!consumers.has(candidate.family.name))
        consumers.set(candidate.family.name, await this.familyConsumers(candidate.family));
    }
    const reports = await this.ensureReports([...fresh.values()]);
    const gathered = await mapWithConcurrency([...fresh], inFlight, async ([key, candidate]) => {
      const family = consumers.get(candidate.family.name) as {
        accounts: Set<string>;
        blocking: BlockingEvidence[];
      };
      const image: GatheredImage = {
        family: candidate.family.name,
        region: candidate.region,
        imageId: candidate.imageId,
        accountsChecked: [],
        blocking: [...family.blocking],
        consumers: new Set(family.accounts),
      };
      await this.readReport(image, reports.get(key) ?? new Error("no usage report was asked for"));
      return [key, image] as const;
    });
    await this.probeConsumers(gathered.map(([, image]) => image));
    await mapWithConcurrency(gathered, inFlight, ([, image]) => this.replaceStaleReport(image));
    for (const [key, image] of gathered) {
      const { consumers: _, family: __, ...evidence } = image;
      evidence.accountsChecked.sort();
      this.evidence.set(key, evidence);
    }
  }

  /** The accounts and organizations that could not be checked in this sweep, sorted by account. */
  unreachableConsumers(): UnreachableConsumer[] {
    return [...this.unreachable.values()].sort((a, b) =>
      `${a.account}/${a.region ?? ""}`.localeCompare(`${b.account}/${b.region ?? ""}`),
    );
  }

  /** The consumers' own images carrying a family's watermark (their copies), sorted by account, region and id. */
  consumerCopies(): ConsumerCopy[] {
    return [...this.copies.values()].sort((a, b) =>
      `${a.account}/${a.region}/${a.imageId}`.localeCompare(`${b.account}/${b.region}/${b.imageId}`),
    );
  }

  /** Accounts the family shares with, directly or through organizations and OUs (each listed once per sweep). */
  private async familyConsumers(
    family: FamilyConfig,
  ): Promise<{ accounts: Set<string>; blocking: BlockingEvidence[] }> {
    const accounts = new Set(family.sharing.accounts);
    const blocking: BlockingEvidence[] = [];
    const parents = [
      ...family.sharing.organizationArns.map((arn) => ({
        arn,
        list: (d: OrganizationDirectoryPort) => d.allAccounts(),
      })),
      ...family.sharing.organizationalUnitArns.map((arn) => ({
        arn,
        list: (d: OrganizationDirectoryPort) => d.accountsUnder(arn),
      })),
    ];
    for (const parent of parents) {
      const listing = await this.listing(parent.arn, parent.list);
      if (listing.kind === "listed") {
        for (const account of listing.accounts) accounts.add(account.accountId);
      } else {
        blocking.push({
          kind: "unlisted",
          parent: parent.arn,
          reason: listing.reason,
          message: listing.message,
        });
        this.unreachable.set(parent.arn, {
          account: parent.arn,
          reason: listing.reason,
          message: listing.message,
        });
      }
    }
    for (const owner of this.owners) accounts.delete(owner);
    return { accounts, blocking };
  }

  private listing(
    parent: string,
    list: (directory: OrganizationDirectoryPort) => Promise<AccountListing>,
  ): Promise<AccountListing> {
    let listing = this.listings.get(parent);
    if (!listing) {
      const directory = this.ports.directory;
      listing = directory
        ? list(directory)
        : Promise.resolve({
            kind: "unlisted",
            parent,
            reason: "role-unavailable",
            message: "organization.managementRoleArn is not configured, so the accounts cannot be listed",
          });
      this.listings.set(parent, listing);
    }
    return listing;
  }

  /** Every candidate's usage report, created or reused, one region's described together (by `evidenceKey`). */
  private async ensureReports(
    candidates: readonly EvidenceCandidate[],
  ): Promise<Map<string, UsageReportStatus | Error>> {
    const byRegion = new Map<string, string[]>();
    for (const { region, imageId } of candidates)
      byRegion.set(region, [...(byRegion.get(region) ?? []), imageId]);
    const answers = new Map<string, UsageReportStatus | Error>();
    const port = this.ports.usageReports;
    await mapWithConcurrency([...byRegion], inFlight, async ([region, imageIds]) => {
      try {
        const found = await port.ensureReports(region, imageIds);
        for (const imageId of imageIds)
          answers.set(evidenceKey(region, imageId), found.get(imageId) ?? new Error("no usage report"));
      } catch (error) {
        // The region's reports could not be described: every candidate there keeps (report-failed).
        for (const imageId of imageIds)
          answers.set(
            evidenceKey(region, imageId),
            error instanceof Error ? error : new Error(String(error)),
          );
      }
    });
    return answers;
  }

  /** The image's usage report: created or reused, its entries read once; a zero counts only past the lag. */
  private async readReport(image: GatheredImage, ensured: UsageReportStatus | Error): Promise<void> {
    const now = this.options.now;
    try {
      if (ensured instanceof Error) throw ensured;
      const report = ensured;
      this.reports.set(evidenceKey(image.region, image.imageId), report);
      const reportAgeDays = Math.max(0, (now.getTime() - report.createdAt.getTime()) / DAY_MS);
      image.reportAgeDays = reportAgeDays;
      const entries: ImageUsageEntry[] =
        report.state === "available"
          ? await this.ports.usageReports.entries(image.region, report.reportId)
          : [];
      for (const entry of entries) {
        if (this.owners.has(entry.accountId)) continue;
        // An account the report names is a consumer even when no share names it (a copy, an old share).
        image.consumers.add(entry.accountId);
        if (entry.usageCount > 0)
          image.blocking.push({
            kind: "usage",
            accountId: entry.accountId,
            resourceType: entry.resourceType,
            usageCount: entry.usageCount,
            reportAgeDays,
          });
      }
      if (!usageReportIsConclusive(report, now, this.config.usageReportLagDays))
        image.blocking.push({
          kind: "report-inconclusive",
          state: report.state,
          reportAgeDays,
          lagDays: this.config.usageReportLagDays,
        });
    } catch (error) {
      image.blocking.push({
        kind: "report-failed",
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /**
   * A report keeps counting the use it saw when it was made until it expires (30 days). When it is past
   * the lag and every account it names was probed just now and uses the image no more, it is replaced by a
   * new report, which counts in its turn once past the lag: the consumer that moved on is not held a month.
   */
  private async replaceStaleReport(image: GatheredImage): Promise<void> {
    const key = evidenceKey(image.region, image.imageId);
    const report = this.reports.get(key);
    const usage = image.blocking.filter((item) => item.kind === "usage");
    if (!report || usage.length === 0) return;
    if (!usageReportIsConclusive(report, this.options.now, this.config.usageReportLagDays)) return;
    const stillUsed = usage.some(
      (item) =>
        !image.accountsChecked.includes(item.accountId) ||
        image.blocking.some((other) => other.kind === "reference" && other.accountId === item.accountId),
    );
    if (stillUsed) return;
    try {
      await this.ports.usageReports.deleteReport(image.region, report.reportId);
      const replacement = await this.ports.usageReports.ensureReport(image.region, image.imageId);
      this.reports.set(key, replacement);
      const reportAgeDays = Math.max(
        0,
        (this.options.now.getTime() - replacement.createdAt.getTime()) / DAY_MS,
      );
      image.reportAgeDays = reportAgeDays;
      image.blocking = image.blocking.filter((item) => item.kind !== "usage");
      image.blocking.push({
        kind: "report-inconclusive",
        state: replacement.state,
        reportAgeDays,
        lagDays: this.config.usageReportLagDays,
      });
    } catch (error) {
      image.blocking.push({
        kind: "report-failed",
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** One probe per consumer account and region, on every candidate image that account could use there. */
  private async probeConsumers(images: readonly GatheredImage[]): Promise<void> {
    const byAccountRegion = new Map<
      string,
      { accountId: string; region: string; images: (typeof images)[number][] }
    >();
    for (const image of images) {
      for (const accountId of image.consumers) {
        const key = `${accountId}|${image.region}`;
        const entry = byAccountRegion.get(key) ?? { accountId, region: image.region, images: [] };
        entry.images.push(image);
        byAccountRegion.set(key, entry);
      }
    }
    const probes = [...byAccountRegion.values()].sort((a, b) =>
      `${a.accountId}|${a.region}`.localeCompare(`${b.accountId}|${b.region}`),
    );
    await mapWithConcurrency(probes, inFlight, async ({ accountId, region, images: probed }) => {
      const result = await this.ports.probes.probe(
        accountId,
        region,
        probed.map((image) => image.imageId),
        this.watermarkKeys(probed),
      );
      if (result.kind === "unreachable") {
        this.unreachable.set(`${accountId}|${region}`, {
          account: accountId,
          region,
          reason: result.reason,
          message: result.message,
        });
        for (const image of probed)
          image.blocking.push({
            kind: "unreachable",
            accountId,
            reason: result.reason,
            message: result.message,
          });
        return;
      }
      this.recordCopies(accountId, region, result.copies ?? []);
      for (const image of probed) {
        image.accountsChecked.push(accountId);
        for (const reference of result.references) {
          if (reference.imageId !== image.imageId) continue;
          image.blocking.push({
            kind: "reference",
            accountId,
            resourceType: reference.resourceType,
            arn: reference.arn,
            ...(reference.detail ? { detail: reference.detail } : {}),
          });
        }
      }
    });
  }

  /** The watermark keys of the probed images' families, as each owner account attached them (sorted). */
  private watermarkKeys(images: readonly GatheredImage[]): string[] {
    const keys = new Set<string>();
    for (const image of images) for (const owner of this.owners) keys.add(watermarkKey(owner, image.family));
    return [...keys].sort();
  }

  /** Keeps each copy once per sweep, by the first family watermark it carries. */
  private recordCopies(account: string, region: string, copies: readonly ConsumerImageCopy[]): void {
    for (const copy of copies) {
      const key = copy.watermarkKeys
        .map((k) => ({ k, family: familyOfWatermarkKey(k) }))
        .find((m) => m.family);
      if (!key?.family) continue;
      this.copies.set(`${account}|${region}|${copy.imageId}`, {
        account,
        region,
        imageId: copy.imageId,
        ...(copy.name ? { name: copy.name } : {}),
        family: key.family,
        watermarkKey: key.k,
      });
    }
  }
}

/** One candidate image while its evidence is gathered: the family it is of and the accounts to probe. */
type GatheredImage = ImageEvidence & { family: string; consumers: Set<string> };

/** The family a key `<account>:ami-lifecycle-<family>` names, or undefined for another watermark. */
function familyOfWatermarkKey(key: string): string | undefined {
  return /^\d{12}:ami-lifecycle-(.+)$/.exec(key)?.[1];
}
