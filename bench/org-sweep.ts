// Dry-run sweep of an owner account whose 200 shared versions (4 regions each) 50 consumer accounts in two
// OUs may use; 40 versions are retirement candidates. Counts the cross-account API calls of one sweep by
// service and action (usage reports, STS, Organizations in the owner account; every call inside the
// consumer accounts) against the floor of issue #16: one usage report per candidate image per report
// lifetime and its entries read once, one AssumeRole per consumer account and region, ⌈candidate images
// / 10⌉ DescribeImageReferences per consumer account and region, one DescribeImages with the watermark
// filter per consumer account and region (the consumers' own copies, reported), plus one listing per shared OU.
// Two sweeps are measured: the first creates the reports, the second (an hour later, reports ready) reads
// them; each with fresh ports, as a cold Lambda. Last stdout line: one JSON object.
import {
  type Config,
  LifecycleTag,
  lifecycleTags,
  parseConfig,
  runSweep,
  silentLog,
} from "@ami-lifecycle/core";
import {
  handlerPrincipalArn,
  LocalDeployment,
  SimulatedOrganization,
  startDynamoDbLocal,
} from "@ami-lifecycle/simulated-account";
import { CreateTagsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  consumerRole,
  createConsumerRole,
  orgAccounts,
  organizationPorts,
} from "../test/support/organization-world";
import { deniedCalls } from "./_iam";

const regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"];
const home = "us-east-1";
const consumerAccounts = 50;
const families = 5;
const versionsPerFamily = 40;
/** keep the newest 32 of each family: 8 candidates per family, 40 in all */
const keepLatest = 32;
const dayMs = 86_400_000;
const targetRatio = 1.3;
/** Owner-account actions that belong to the cross-account evidence. */
const ownerCrossAccount = new Set([
  "CreateImageUsageReport",
  "DescribeImageUsageReports",
  "DescribeImageUsageReportEntries",
  "DeleteImageUsageReport",
  "AssumeRole",
  "ListAccounts",
  "ListAccountsForParent",
  "ListChildren",
  "ListOrganizationalUnitsForParent",
  "ListRoots",
]);

/** The service an action belongs to (the simulated account counts actions per region only). */
function serviceOf(action: string): string {
  if (action === "AssumeRole") return "sts";
  if (action.startsWith("List") && action !== "ListImagesInRecycleBin") return "organizations";
  if (action === "DescribeAutoScalingGroups" || action === "DescribeLaunchConfigurations")
    return "autoscaling";
  if (action === "DescribeParameters" || action.startsWith("GetParameter")) return "ssm";
  return "ec2";
}

function consumerIds(): string[] {
  return Array.from({ length: consumerAccounts }, (_, index) => `3333${String(index + 1).padStart(8, "0")}`);
}

function benchConfig(org: SimulatedOrganization): Config {
  return parseConfig({
    accounts: [orgAccounts.owner],
    homeRegion: home,
    regions,
    mode: "dry-run",
    organization: {
      consumerRoleName: consumerRole,
      externalId: "ami-lifecycle-sweep",
      managementRoleArn: `arn:aws:iam::${orgAccounts.owner}:role/ami-lifecycle-organization-reader`,
    },
    families: Array.from({ length: families }, (_, index) => ({
      name: `shared-${index}`,
      team: "bench",
      match: { namePattern: `shared-${index}-*` },
      copyTo: regions
        .filter((region) => region !== home)
        .map((region) => ({ region, kmsKeyId: "alias/ami-lifecycle" })),
      sharing: { organizationalUnitArns: [org.ou("workloads-a").arn, org.ou("workloads-b").arn] },
      retention: { keepLatest, minAgeDays: 0, deprecateAfterDays: 0 },
    })),
  });
}

/** A version a day per family, its source and copies in EC2, launchable by both OUs, and the registry to match. */
async function seed(
  org: SimulatedOrganization,
  deployment: LocalDeployment,
  config: Config,
): Promise<string[]> {
  const owner = org.account(orgAccounts.owner);
  const registry = deployment.runtime.reactions.registry;
  const world = owner.simWorld();
  const tagger = { principalArn: handlerPrincipalArn(orgAccounts.owner, "image-api-call") };
  const ec2 = owner.client(EC2Client, home, tagger);
  const shares = [org.ou("workloads-a").arn, org.ou("workloads-b").arn].map(
    (arn) => `organizationalUnitArn:${arn}`,
  );
  const share = (region: string, imageId: string) => {
    const image = world.region(region).images.get(imageId);
    if (image) image.launchPermissions.push(...shares);
  };
  const nowMs = org.clock.nowMs();
  const candidates: string[] = [];
  for (const family of config.families) {
    for (let version = 1; version <= versionsPerFamily; version++) {
      const createdAt = new Date(nowMs - (versionsPerFamily - version + 1) * dayMs).toISOString();
      const name = `${family.name}-${version}`;
      const sourceId = owner.seedImage(home, {
        name,
        tags: { [LifecycleTag.family]: family.name },
        creationDate: createdAt,
      });
      const tags = lifecycleTags({
        family: family.name,
        version,
        sourceImageId: sourceId,
        sourceRegion: home,
        createdAt,
      });
      await ec2.send(
        new CreateTagsCommand({
          Resources: [sourceId],
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      share(home, sourceId);
      await registry.registerVersion({
        family: family.name,
        region: home,
        imageId: sourceId,
        name,
        createdAt,
        state: "available",
        snapshotIds: snapshotIds(owner, home, sourceId),
      });
      if (version <= versionsPerFamily - keepLatest) candidates.push(sourceId);
      for (const region of regions.filter((candidate) => candidate !== home)) {
        const copyId = owner.seedImage(region, { name, tags, creationDate: createdAt });
        share(region, copyId);
        await registry.putRegionImage(family.name, version, {
          region,
          imageId: copyId,
          state: "available",
          role: "copy",
          kmsKeyId: "alias/ami-lifecycle",
          snapshotIds: snapshotIds(owner, region, copyId),
          copyAttempts: 1,
          updatedAt: createdAt,
        });
      }
    }
  }
  ec2.destroy();
  return candidates;
}

function snapshotIds(account: ReturnType<SimulatedOrganization["account"]>, region: string, imageId: string) {
  const mappings = account.image(region, imageId)?.BlockDeviceMappings ?? [];
  return mappings.flatMap((mapping) => (mapping.Ebs?.SnapshotId ? [mapping.Ebs.SnapshotId] : [])).sort();
}

/** The cross-account calls counted since the last reset, by `service:Action`. */
function crossAccountCalls(org: SimulatedOrganization): Record<string, number> {
  const calls: Record<string, number> = {};
  for (const accountId of org.accountIds) {
    for (const [key, count] of Object.entries(org.account(accountId).callCounts())) {
      const action = key.slice(key.indexOf(":") + 1);
      if (accountId === orgAccounts.owner && !ownerCrossAccount.has(action)) continue;
      const name = `${serviceOf(action)}:${action}`;
      calls[name] = (calls[name] ?? 0) + count;
    }
  }
  return Object.fromEntries(Object.entries(calls).sort(([a], [b]) => a.localeCompare(b)));
}

function resetCounts(org: SimulatedOrganization): void {
  for (const accountId of org.accountIds) org.account(accountId).resetCallCounts();
}

function sum(calls: Record<string, number>): number {
  return Object.values(calls).reduce((total, count) => total + count, 0);
}

async function main(): Promise<void> {
  const dynamo = await startDynamoDbLocal();
  const consumers = consumerIds();
  const half = consumers.length / 2;
  const org = new SimulatedOrganization({
    managementAccountId: orgAccounts.owner,
    regions,
    organizationalUnits: [
      { name: "workloads-a", accounts: consumers.slice(0, half).map((id) => ({ id })) },
      { name: "workloads-b", accounts: consumers.slice(half).map((id) => ({ id })) },
    ],
  });
  for (const consumer of consumers) createConsumerRole(org, consumer);
  const owner = org.account(orgAccounts.owner);
  for (const region of regions.filter((candidate) => candidate !== home))
    owner.createKey(region, { alias: "alias/ami-lifecycle" });
  const config = benchConfig(org);
  const deployment = await LocalDeployment.start({
    config,
    account: owner,
    dynamoEndpoint: dynamo.endpoint,
    log: silentLog,
  });
  try {
    const candidates = await seed(org, deployment, config);
    // A few consumers still launch a candidate: their evidence keeps it (the counts stay the same).
    for (const [index, imageId] of candidates.slice(0, 5).entries())
      org.runInstance(consumers[index * 7] as string, home, imageId);
    const candidateImages = candidates.length * regions.length;
    const probes = consumers.length * regions.length;
    // AssumeRole, the watermarked copies' DescribeImages, and the DescribeImageReferences batches.
    const perProbe = 2 + Math.ceil(candidateImages / regions.length / 10);
    const listings = 2;

    const sweeps: { calls: Record<string, number>; floor: number; ms: number; kept: number }[] = [];
    for (const floorOfReports of [candidateImages, candidateImages]) {
      deployment.runtime.reactions.organization = organizationPorts(org);
      resetCounts(org);
      const started = performance.now();
      const report = await runSweep(deployment.runtime.reactions, { now: org.clock.now() });
      const ms = Math.round(performance.now() - started);
      const kept = report.families
        .flatMap((family) => family.plan?.decisions ?? [])
        .filter((decision) => decision.reasons.some((reason) => reason.rule === "consumer-evidence")).length;
      // First sweep: one report created per candidate image; second: its entries read once.
      sweeps.push({
        calls: crossAccountCalls(org),
        floor: floorOfReports + probes * perProbe + listings,
        ms,
        kept,
      });
      // The reports become available within the hour.
      org.advance(3600_000);
    }
    const total = sweeps.reduce((all, sweep) => all + sum(sweep.calls), 0);
    const floor = sweeps.reduce((all, sweep) => all + sweep.floor, 0);
    console.error(
      sweeps
        .map(
          (sweep, index) =>
            `sweep ${index + 1}: ${sum(sweep.calls)} cross-account calls (floor ${sweep.floor}) in ${sweep.ms} ms; ${sweep.kept} images kept for consumers\n${JSON.stringify(sweep.calls)}`,
        )
        .join("\n"),
    );
    console.log(
      JSON.stringify({
        bench: "org-sweep",
        consumer_accounts: consumers.length,
        regions: regions.length,
        shared_versions: families * versionsPerFamily,
        candidate_versions: candidates.length,
        candidate_images: candidateImages,
        first_sweep: { calls: sweeps[0]?.calls, total: sum(sweeps[0]?.calls ?? {}), floor: sweeps[0]?.floor },
        second_sweep: {
          calls: sweeps[1]?.calls,
          total: sum(sweeps[1]?.calls ?? {}),
          floor: sweeps[1]?.floor,
        },
        total_calls: total,
        floor_calls: floor,
        denials: org.accountIds.reduce((all, id) => all + deniedCalls(org.account(id), "org-sweep"), 0),
        sweep_ms: sweeps.map((sweep) => sweep.ms),
        ratio: Number((total / floor).toFixed(3)),
        target: targetRatio,
      }),
    );
  } finally {
    await deployment.stop();
    await dynamo.stop();
  }
}

await main();
