// Dry-run sweep over 5,000 managed images in 3 regions on the simulated account: how many EC2 calls it
// makes, by API, against the floor of one DescribeImages pagination per region plus one
// DescribeImageReferences per 10 retirement candidates. Last stdout line: one JSON object.
import {
  type Config,
  LifecycleTag,
  lifecycleTags,
  parseConfig,
  reassertPointers,
  runSweep,
  silentLog,
} from "@ami-lifecycle/core";
import {
  handlerPrincipalArn,
  LocalDeployment,
  SimulatedAccount,
  startDynamoDbLocal,
} from "@ami-lifecycle/simulated-account";
import { CreateTagsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { deniedCalls } from "./_iam";

const regions = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const dayMs = 86_400_000;
/** 25 families copied to the two other regions (40 versions × 3 images) and 25 single-region ones (80 versions). */
const replicated = { families: 25, versions: 40 };
const regional = { families: 25, versions: 80 };
const targetRatio = 1.5;
/** Operations of services other than EC2 (summaries go to SNS; the reference fallback and `latest` pointers use SSM). */
const notEc2 = new Set([
  "Publish",
  "PutEvents",
  "GetParametersByPath",
  "GetParameter",
  "PutParameter",
  "DescribeParameters",
]);

interface FamilySpec {
  name: string;
  home: string;
  copies: string[];
  versions: number;
}

function familySpecs(): FamilySpec[] {
  const specs: FamilySpec[] = [];
  for (let index = 0; index < replicated.families; index++) {
    const home = regions[index % 3] as string;
    specs.push({
      name: `replicated-${index}`,
      home,
      copies: regions.filter((region) => region !== home),
      versions: replicated.versions,
    });
  }
  for (let index = 0; index < regional.families; index++) {
    specs.push({
      name: `regional-${index}`,
      home: regions[index % 3] as string,
      copies: [],
      versions: regional.versions,
    });
  }
  return specs;
}

function benchConfig(specs: readonly FamilySpec[]): Config {
  return parseConfig({
    accounts: ["111122223333"],
    homeRegion: "us-east-1",
    regions,
    mode: "dry-run",
    families: specs.map((spec) => ({
      name: spec.name,
      team: "bench",
      match: { namePattern: `${spec.name}-*` },
      copyTo: spec.copies.map((region) => ({ region, kmsKeyId: "alias/ami-lifecycle" })),
      retention: { keepLatest: 3, minAgeDays: 7, deprecateAfterDays: 0 },
    })),
  });
}

/** The snapshot ids EC2 lists for a seeded image: what the service records when it sees the image. */
function snapshotIdsOf(account: SimulatedAccount, region: string, imageId: string): string[] {
  const mappings = account.image(region, imageId)?.BlockDeviceMappings ?? [];
  return mappings.flatMap((mapping) => (mapping.Ebs?.SnapshotId ? [mapping.Ebs.SnapshotId] : [])).sort();
}

/**
 * Seeds one family: a version a day, its source image and copies in EC2, and the registry to match, as
 * the service records it (snapshot ids included: a record without them is repaired by a full reaction).
 */
async function seedFamily(
  deployment: LocalDeployment,
  ec2: Record<string, EC2Client>,
  spec: FamilySpec,
  nowMs: number,
): Promise<void> {
  const { account } = deployment;
  const registry = deployment.runtime.reactions.registry;
  for (let version = 1; version <= spec.versions; version++) {
    const createdAt = new Date(nowMs - (spec.versions - version + 1) * dayMs).toISOString();
    const name = `${spec.name}-${version}`;
    const placeholder = { [LifecycleTag.family]: spec.name };
    const sourceId = account.seedImage(spec.home, { name, tags: placeholder, creationDate: createdAt });
    const tags = lifecycleTags({
      family: spec.name,
      version,
      sourceImageId: sourceId,
      sourceRegion: spec.home,
      createdAt,
    });
    // The source's own id is part of its tags; the CreateTags calls happen before the count starts.
    await ec2[spec.home]?.send(
      new CreateTagsCommand({
        Resources: [sourceId],
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    const { version: record } = await registry.registerVersion({
      family: spec.name,
      region: spec.home,
      imageId: sourceId,
      name,
      createdAt,
      state: "available",
      snapshotIds: snapshotIdsOf(account, spec.home, sourceId),
    });
    if (record.version !== version)
      throw new Error(`${spec.name}: registered as v${record.version}, expected v${version}`);
    for (const region of spec.copies) {
      const copyId = account.seedImage(region, { name, tags, creationDate: createdAt });
      await registry.putRegionImage(spec.name, version, {
        region,
        imageId: copyId,
        state: "available",
        role: "copy",
        kmsKeyId: "alias/ami-lifecycle",
        snapshotIds: snapshotIdsOf(account, region, copyId),
        copyAttempts: 1,
        updatedAt: createdAt,
      });
    }
  }
}

async function main(): Promise<void> {
  const dynamo = await startDynamoDbLocal();
  const specs = familySpecs();
  const account = new SimulatedAccount({ regions });
  const deployment = await LocalDeployment.start({
    config: benchConfig(specs),
    account,
    dynamoEndpoint: dynamo.endpoint,
    log: silentLog,
  });
  try {
    const nowMs = account.clock.nowMs();
    // The seeded versions are tagged as image-api-call tags a new version: with its role, evaluated.
    const tagger = { principalArn: handlerPrincipalArn(account.accountId, "image-api-call") };
    const ec2 = Object.fromEntries(
      regions.map((region) => [region, account.client(EC2Client, region, tagger)]),
    );
    await Promise.all(specs.map((spec) => seedFamily(deployment, ec2, spec, nowMs)));
    for (const client of Object.values(ec2)) client.destroy();
    // Each version's `available` reaction points `latest` at it and protects it (#17); the seeding above
    // bypasses the reactions, so the service's own re-assertion leaves the account as they would have.
    // Uncounted: without it the measured sweep would move 100 unset pointers (one PutParameter, one
    // DescribeImages and one EnableImageDeregistrationProtection each), a first-sweep repair, not sweep work.
    const config = deployment.runtime.reactions.config;
    await Promise.all(
      config.families.map((family) => reassertPointers(deployment.runtime.reactions, family)),
    );
    const perRegion = regions.map((region) => account.images(region).length);
    const images = perRegion.reduce((sum, count) => sum + count, 0);

    account.resetCallCounts();
    const started = performance.now();
    const report = await runSweep(deployment.runtime.reactions, { now: account.clock.now() });
    const sweepMs = Math.round(performance.now() - started);

    const calls: Record<string, number> = {};
    const otherCalls: Record<string, number> = {};
    for (const [key, count] of Object.entries(account.callCounts())) {
      const api = key.slice(key.indexOf(":") + 1);
      const bucket = notEc2.has(api) ? otherCalls : calls;
      bucket[api] = (bucket[api] ?? 0) + count;
    }
    const totalCalls = Object.values(calls).reduce((sum, count) => sum + count, 0);
    const floorCalls =
      perRegion.reduce((sum, count) => sum + Math.max(1, Math.ceil(count / 1000)), 0) +
      Math.ceil(report.referenceCandidates / 10);
    const failures =
      report.failures.length + report.families.reduce((sum, family) => sum + family.failures.length, 0);
    const pointerMoves = report.families.flatMap((family) =>
      family.reconciled
        .filter((repair) => repair.kind === "pointer-moved")
        .map((repair) => `${family.family} ${repair.region}: ${repair.detail ?? `v${repair.version}`}`),
    );
    const pointersMoved = pointerMoves.length;
    console.error(
      `sweep of ${images} images (${perRegion.join("/")}) in ${sweepMs} ms: ${report.referenceCandidates} candidates, ${failures} failures`,
    );
    console.log(
      JSON.stringify({
        bench: "sweep-calls",
        images,
        regions: regions.length,
        calls,
        other_calls: otherCalls,
        total_calls: totalCalls,
        floor_calls: floorCalls,
        candidates: report.referenceCandidates,
        failures,
        pointers_moved: pointersMoved,
        denials: deniedCalls(account, "sweep-calls"),
        sweep_ms: sweepMs,
        ratio: Number((totalCalls / floorCalls).toFixed(3)),
        target: targetRatio,
      }),
    );
    // The seeding leaves every `latest` pointer where the reactions would have: a sweep that still moves
    // one repairs what was not broken (a regression the call count alone would hide), so the bench fails.
    if (pointersMoved > 0) {
      console.error(
        `sweep-calls: FAILED: the sweep moved ${pointersMoved} latest pointer(s) the seeding had already set (expected 0):\n${pointerMoves.map((move) => `  ${move}`).join("\n")}`,
      );
      process.exitCode = 1;
    }
  } finally {
    await deployment.stop();
    await dynamo.stop();
  }
}

await main();
