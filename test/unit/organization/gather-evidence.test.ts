import {
  type ConsumerProbePort,
  CrossAccountEvidence,
  type FamilyConfig,
  parseConfig,
  type UsageReportPort,
  type UsageReportStatus,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";

const OWNER = "111122223333";
const CONSUMER = "222200000001";
const OU = "arn:aws:organizations::111122223333:ou/o-abc123defg/ou-ab12-cdefgh12";
const EAST = "us-east-1";
const dayMs = 24 * 3600_000;
const now = new Date("2026-12-01T12:00:00Z");

function family(sharing: { accounts?: string[]; organizationalUnitArns?: string[] }): FamilyConfig {
  const config = parseConfig({
    accounts: [OWNER],
    homeRegion: EAST,
    regions: [EAST],
    families: [{ name: "web", team: "platform", match: { namePattern: "web-*" }, sharing }],
  });
  return config.families[0] as FamilyConfig;
}

const organization = {
  consumerRoleName: "probe",
  usageReportLagDays: 3,
  versionDepth: 10_000,
};

/** Usage reports that answer one fixed report per image, created `ageDays` before now. */
function reports(ageDays: number, entries: { accountId: string; usageCount: number }[] = []) {
  const calls: string[] = [];
  const report = (
    imageId: string,
    created = new Date(now.getTime() - ageDays * dayMs),
  ): UsageReportStatus => ({
    reportId: `r-${imageId}-${created.getTime()}`,
    imageId,
    region: EAST,
    state: "available",
    createdAt: created,
    expiresAt: new Date(created.getTime() + 30 * dayMs),
  });
  let replaced = false;
  const ensure = (imageId: string): UsageReportStatus => {
    calls.push(`ensure ${imageId}`);
    return replaced ? { ...report(imageId, now), state: "pending" } : report(imageId);
  };
  const port: UsageReportPort = {
    ensureReport: async (_region, imageId) => ensure(imageId),
    ensureReports: async (_region, imageIds) =>
      new Map(imageIds.map((imageId) => [imageId, ensure(imageId)])),
    readReport: async () => undefined,
    entries: async () => {
      calls.push("entries");
      return entries.map((entry) => ({ ...entry, resourceType: "ec2:LaunchTemplate" }));
    },
    deleteReport: async (_region, reportId) => {
      calls.push(`delete ${reportId}`);
      replaced = true;
    },
  };
  return { port, calls };
}

const cleanProbe: ConsumerProbePort = {
  probe: async (accountId, region) => ({ kind: "probed", accountId, region, references: [] }),
};

describe("CrossAccountEvidence", () => {
  it("clears an image only when every consumer was probed and a report past the lag shows no use", async () => {
    // Prepare
    const evidence = new CrossAccountEvidence(
      { usageReports: reports(4).port, probes: cleanProbe },
      organization,
      { now, ownerAccounts: [OWNER] },
    );
    // Act
    await evidence.gather([{ family: family({ accounts: [CONSUMER] }), region: EAST, imageId: "ami-1" }]);
    // Assess
    expect(evidence.evidence.get(`${EAST}/ami-1`)).toMatchObject({
      accountsChecked: [CONSUMER],
      blocking: [],
      reportAgeDays: 4,
    });
  });

  it("keeps an image whose report is younger than the lag, and one whose OU cannot be listed without the management role", async () => {
    // Prepare
    const young = new CrossAccountEvidence(
      { usageReports: reports(1).port, probes: cleanProbe },
      organization,
      { now, ownerAccounts: [OWNER] },
    );
    const unlisted = new CrossAccountEvidence(
      { usageReports: reports(4).port, probes: cleanProbe },
      organization,
      { now, ownerAccounts: [OWNER] },
    );
    // Act
    await young.gather([{ family: family({ accounts: [CONSUMER] }), region: EAST, imageId: "ami-1" }]);
    await unlisted.gather([
      { family: family({ organizationalUnitArns: [OU] }), region: EAST, imageId: "ami-1" },
    ]);
    // Assess
    expect(young.evidence.get(`${EAST}/ami-1`)?.blocking).toEqual([
      { kind: "report-inconclusive", state: "available", reportAgeDays: 1, lagDays: 3 },
    ]);
    expect(unlisted.evidence.get(`${EAST}/ami-1`)?.blocking).toMatchObject([
      { kind: "unlisted", parent: OU, reason: "role-unavailable" },
    ]);
    expect(unlisted.unreachableConsumers().map((entry) => entry.account)).toEqual([OU]);
  });

  it("keeps an image whose report cannot be read, and probes an account only the report names", async () => {
    // Prepare
    const probed: string[] = [];
    const failing: UsageReportPort = {
      ...reports(4).port,
      ensureReport: async () => {
        throw new Error("throttled past retries");
      },
      ensureReports: async (_region, imageIds) =>
        new Map(imageIds.map((imageId) => [imageId, new Error("throttled past retries")])),
    };
    const named = reports(4, [{ accountId: "999900000009", usageCount: 0 }]);
    const probes: ConsumerProbePort = {
      probe: async (accountId, region, ids) => {
        probed.push(`${accountId} ${ids.join(",")}`);
        return { kind: "probed", accountId, region, references: [] };
      },
    };
    const broken = new CrossAccountEvidence({ usageReports: failing, probes }, organization, {
      now,
      ownerAccounts: [OWNER],
    });
    const extra = new CrossAccountEvidence({ usageReports: named.port, probes }, organization, {
      now,
      ownerAccounts: [OWNER],
    });
    // Act
    await broken.gather([{ family: family({ accounts: [CONSUMER] }), region: EAST, imageId: "ami-1" }]);
    probed.length = 0;
    await extra.gather([{ family: family({ accounts: [CONSUMER] }), region: EAST, imageId: "ami-2" }]);
    // Assess
    expect(broken.evidence.get(`${EAST}/ami-1`)?.blocking).toEqual([
      { kind: "report-failed", message: "throttled past retries" },
    ]);
    expect(probed.sort()).toEqual([`${CONSUMER} ami-2`, "999900000009 ami-2"]);
  });

  it("keeps every image of a region whose reports could not be described", async () => {
    // Prepare
    const undescribed: UsageReportPort = {
      ...reports(4).port,
      ensureReports: async () => {
        throw new Error("DescribeImageUsageReports throttled past retries");
      },
    };
    const evidence = new CrossAccountEvidence(
      { usageReports: undescribed, probes: cleanProbe },
      organization,
      { now, ownerAccounts: [OWNER] },
    );
    // Act
    await evidence.gather([
      { family: family({ accounts: [CONSUMER] }), region: EAST, imageId: "ami-1" },
      { family: family({ accounts: [CONSUMER] }), region: EAST, imageId: "ami-2" },
    ]);
    // Assess
    for (const imageId of ["ami-1", "ami-2"])
      expect(evidence.evidence.get(`${EAST}/${imageId}`)?.blocking).toEqual([
        { kind: "report-failed", message: "DescribeImageUsageReports throttled past retries" },
      ]);
  });

  it("replaces a report past the lag whose counted use the probes no longer find, and keeps the image until the new one counts", async () => {
    // Prepare
    const stale = reports(5, [{ accountId: CONSUMER, usageCount: 1 }]);
    const evidence = new CrossAccountEvidence(
      { usageReports: stale.port, probes: cleanProbe },
      organization,
      {
        now,
        ownerAccounts: [OWNER],
      },
    );
    // Act
    await evidence.gather([{ family: family({ accounts: [CONSUMER] }), region: EAST, imageId: "ami-1" }]);
    // Assess
    expect(stale.calls.filter((call) => call.startsWith("delete"))).toHaveLength(1);
    expect(evidence.evidence.get(`${EAST}/ami-1`)?.blocking).toEqual([
      { kind: "report-inconclusive", state: "pending", reportAgeDays: 0, lagDays: 3 },
    ]);
  });

  it("gathers nothing for a family that shares with nobody, and each image once per sweep", async () => {
    // Prepare
    const counted = reports(4);
    const evidence = new CrossAccountEvidence(
      { usageReports: counted.port, probes: cleanProbe },
      organization,
      {
        now,
        ownerAccounts: [OWNER],
      },
    );
    const shared = family({ accounts: [CONSUMER] });
    // Act
    await evidence.gather([{ family: family({}), region: EAST, imageId: "ami-9" }]);
    await evidence.gather([{ family: shared, region: EAST, imageId: "ami-1" }]);
    await evidence.gather([{ family: shared, region: EAST, imageId: "ami-1" }]);
    // Assess
    expect(evidence.evidence.has(`${EAST}/ami-9`)).toBe(false);
    expect(counted.calls).toEqual(["ensure ami-1", "entries"]);
  });
});

describe("CrossAccountEvidence consumer copies", () => {
  it("asks each probe for the families' watermark keys and reports only the copies carrying one, never keeping for them", async () => {
    // Prepare
    const asked: (readonly string[] | undefined)[] = [];
    const probe: ConsumerProbePort = {
      probe: async (accountId, region, _ids, watermarkKeys) => {
        asked.push(watermarkKeys);
        return {
          kind: "probed",
          accountId,
          region,
          references: [],
          copies: [
            { imageId: "ami-copy", name: "web-copy", watermarkKeys: [`${OWNER}:ami-lifecycle-web`] },
            // Another owner's watermark (or none of ours): not a copy of the family.
            { imageId: "ami-theirs", watermarkKeys: ["999999999999:their-mark"] },
          ],
        };
      },
    };
    const evidence = new CrossAccountEvidence(
      { usageReports: reports(4).port, probes: probe },
      organization,
      {
        now,
        ownerAccounts: [OWNER],
      },
    );

    // Act
    await evidence.gather([{ family: family({ accounts: [CONSUMER] }), region: EAST, imageId: "ami-1" }]);

    // Assess
    expect(asked).toEqual([[`${OWNER}:ami-lifecycle-web`]]);
    expect(evidence.consumerCopies()).toEqual([
      {
        account: CONSUMER,
        region: EAST,
        imageId: "ami-copy",
        name: "web-copy",
        family: "web",
        watermarkKey: `${OWNER}:ami-lifecycle-web`,
      },
    ]);
    expect(evidence.evidence.get(`${EAST}/ami-1`)?.blocking ?? []).toEqual([]);
  });
});
