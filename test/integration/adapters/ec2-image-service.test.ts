import {
  type AwsClients,
  createClients,
  Ec2ImageService,
  ec2ImageReferences,
  imageReferenceBatchSize,
  RequestPacer,
} from "@ami-lifecycle/aws";
import {
  AwsOperationError,
  CopyQuotaExceededError,
  ImageNotFoundError,
  LifecycleTag,
  SnapshotInUseError,
  TransientAwsError,
} from "@ami-lifecycle/core";
import { fastRetryStrategy, type PacingOptions, SimulatedAccount } from "@ami-lifecycle/simulated-account";
import {
  DeregisterImageCommand,
  DisableImageDeregistrationProtectionCommand,
  type EC2Client,
  EC2ServiceException,
  EnableImageDeregistrationProtectionCommand,
} from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";

const home = "eu-west-1";
const away = "us-east-1";
const managed = { [LifecycleTag.managed]: "true", [LifecycleTag.family]: "web" };

/** A fresh simulated account with the adapter's clients plugged into it. */
function setup(
  options: {
    copyQuota?: number;
    withoutImageReferences?: boolean;
    pacing?: PacingOptions;
    /** the EC2 clients keep to a RequestPacer on the account's timeline, as the sweep's do */
    paced?: boolean;
  } = {},
) {
  const account = new SimulatedAccount({
    regions: [home, away],
    ...(options.copyQuota !== undefined ? { copyQuota: options.copyQuota } : {}),
    ...(options.pacing ? { pacing: options.pacing } : {}),
  });
  const referenceCalls: string[] = [];
  const clients = createClients({
    regions: [home, away],
    ...(options.paced
      ? {
          pacer: new RequestPacer({
            time: { nowMs: () => account.clock.nowMs(), sleep: (ms) => account.timeline.sleep(ms) },
          }),
        }
      : {}),
    newAutoScalingClient: ec2ImageReferences.newAutoScalingClient,
    clientConfig: {
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      retryStrategy: fastRetryStrategy(3),
    },
    configureClient: (client, service) => {
      account.attach(client);
      if (service === "EC2" && options.withoutImageReferences)
        answerInvalidAction(client as EC2Client, referenceCalls);
    },
  });
  const service = new Ec2ImageService({
    clients,
    clock: account.clock,
    references: ec2ImageReferences.finder(clients),
  });
  opened.push(clients);
  return { account, clients, service, referenceCalls };
}

/** Makes DescribeImageReferences fail as in a region or partition that lacks it. */
function answerInvalidAction(client: EC2Client, calls: string[]): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "DescribeImageReferencesCommand") return next(args);
      calls.push(context.commandName);
      throw new EC2ServiceException({
        name: "InvalidAction",
        message: "The action DescribeImageReferences is not valid for this web service.",
        $fault: "client",
        $metadata: { httpStatusCode: 400 },
      });
    },
    { step: "initialize", name: "answerInvalidActionForImageReferences" },
  );
}

/** Holds the client's first EnableImageDeprecation on the account's timeline before it is sent. */
function holdFirstDeprecation(client: EC2Client, account: SimulatedAccount, ms: number): void {
  let held = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "EnableImageDeprecationCommand" && !held) {
        held = true;
        await account.timeline.sleep(ms);
      }
      return next(args);
    },
    { step: "finalizeRequest", name: "holdFirstDeprecation" },
  );
}

const opened: AwsClients[] = [];
afterEach(() => {
  for (const clients of opened.splice(0)) clients.destroy();
});

describe("Ec2ImageService on the simulated account", () => {
  describe("describeImage", () => {
    it("maps an image with its snapshots, tags, encryption and lineage", async () => {
      // Prepare
      const { account, service } = setup();
      const key = account.createKey(home);
      const imageId = account.seedImage(home, { name: "web-1", tags: managed, sizeGiB: 30, kmsKeyId: key });
      const [snapshot] = account.snapshots(home);

      // Act
      const record = await service.describeImage(home, imageId);

      // Assess
      expect(record).toEqual({
        imageId,
        region: home,
        name: "web-1",
        ownerId: account.accountId,
        state: "available",
        creationDate: account.clock.now().toISOString(),
        tags: managed,
        snapshots: [{ snapshotId: snapshot?.SnapshotId, sizeGiB: 30 }],
        encrypted: true,
        kmsKeyIds: [key],
        deregistrationProtection: false,
      });
    });

    it("returns undefined for an image EC2 does not know", async () => {
      // Prepare
      const { service } = setup();

      // Act
      const record = await service.describeImage(home, "ami-0123456789abcdef0");

      // Assess
      expect(record).toBeUndefined();
    });

    it("reads deregistration protection, including the cooldown after it is disabled", async () => {
      // Prepare
      const { account, clients, service } = setup();
      const imageId = account.seedImage(home, { name: "protected", tags: managed });
      const ec2 = clients.ec2(home);
      await ec2.send(
        new EnableImageDeregistrationProtectionCommand({ ImageId: imageId, WithCooldown: true }),
      );

      // Act
      const enabled = await service.describeImage(home, imageId);
      await ec2.send(new DisableImageDeregistrationProtectionCommand({ ImageId: imageId }));
      const coolingDown = await service.describeImage(home, imageId);
      account.advance(25 * 60 * 60 * 1000);
      const released = await service.describeImage(home, imageId);

      // Assess
      expect(enabled?.deregistrationProtection).toBe(true);
      expect(coolingDown?.deregistrationProtection).toBe(true);
      expect(released?.deregistrationProtection).toBe(false);
    });

    it("still sees an image after it was disabled", async () => {
      // Prepare
      const { account, service } = setup();
      const imageId = account.seedImage(home, { name: "disabled", tags: managed });

      // Act
      await service.disableImage(home, imageId);
      const record = await service.describeImage(home, imageId);

      // Assess
      expect(record?.state).toBe("disabled");
    });
  });

  describe("listManagedImages", () => {
    it("lists every managed image across pages, disabled and deprecated ones included", async () => {
      // Prepare
      const { account, service } = setup();
      const ids = Array.from({ length: 1003 }, (_, index) =>
        account.seedImage(home, { name: `web-${index}`, tags: managed }),
      );
      account.seedImage(home, { name: "not-managed", tags: { team: "x" } });
      account.seedImage(away, { name: "other-region", tags: managed });
      await service.disableImage(home, ids[0] as string);
      await service.deprecateImage(home, ids[1] as string, account.clock.now());
      account.resetCallCounts();

      // Act
      const records = await service.listManagedImages(home);

      // Assess
      expect(records.map((record) => record.imageId).sort()).toEqual([...ids].sort());
      expect(records.find((record) => record.imageId === ids[0])?.state).toBe("disabled");
      expect(records.find((record) => record.imageId === ids[1])?.deprecationTime).toBeDefined();
      expect(account.callCounts()[`${home}:DescribeImages`]).toBe(2);
    });

    it("raises TransientAwsError when throttling outlasts the SDK's retries", async () => {
      // Prepare
      const { account, service } = setup();
      account.setFaults({ throttleRate: 1, only: ["DescribeImages"] });

      // Act
      const failure = await service.listManagedImages(home).catch((error: unknown) => error);

      // Assess
      expect(failure).toBeInstanceOf(TransientAwsError);
      expect(failure).toMatchObject({ code: "RequestLimitExceeded" });
      expect(account.callCounts()[`${home}:DescribeImages`]).toBe(3);
    });
  });

  describe("tagImage", () => {
    it("tags the image and its snapshots", async () => {
      // Prepare
      const { account, service } = setup();
      const imageId = account.seedImage(home, { name: "to-tag" });
      const snapshotId = account.snapshots(home)[0]?.SnapshotId as string;

      // Act
      await service.tagImage(home, imageId, [snapshotId], managed);

      // Assess
      expect((await service.describeImage(home, imageId))?.tags).toEqual(managed);
      expect(await service.listManagedSnapshots(home)).toEqual([{ snapshotId, sizeGiB: 8, tags: managed }]);
    });

    it("raises ImageNotFoundError for an unknown image", async () => {
      const { service } = setup();
      await expect(service.tagImage(home, "ami-0123456789abcdef0", [], managed)).rejects.toBeInstanceOf(
        ImageNotFoundError,
      );
    });
  });

  describe("copyImage", () => {
    it("copies encrypted with the destination key, tags image and snapshots atomically, idempotent per token", async () => {
      // Prepare
      const { account, service } = setup();
      const sourceId = account.seedImage(home, { name: "web-7", tags: managed });
      const key = account.createKey(away);
      const request = {
        destinationRegion: away,
        sourceRegion: home,
        sourceImageId: sourceId,
        name: "web-7",
        description: "web version 7",
        kmsKeyId: key,
        clientToken: "web-7-us-east-1",
        tags: { ...managed, [LifecycleTag.version]: "7" },
      };

      // Act
      const first = await service.copyImage(request);
      const again = await service.copyImage(request);

      // Assess
      expect(again).toEqual(first);
      const copy = await service.describeImage(away, first.imageId);
      expect(copy).toMatchObject({
        state: "pending",
        encrypted: true,
        sourceImageId: sourceId,
        sourceImageRegion: home,
        tags: request.tags,
      });
      const copySnapshot = account
        .snapshots(away)
        .find((snapshot) => snapshot.SnapshotId === copy?.snapshots[0]?.snapshotId);
      expect(copySnapshot?.KmsKeyId).toBe(key);
      expect((await service.listManagedSnapshots(away)).map((snapshot) => snapshot.tags)).toEqual([
        request.tags,
      ]);
    });

    it("raises CopyQuotaExceededError when the destination's concurrent copy quota is reached", async () => {
      // Prepare
      const { account, service } = setup({ copyQuota: 1 });
      const key = account.createKey(away);
      const copy = (index: number) => {
        const sourceImageId = account.seedImage(home, { name: `quota-${index}` });
        return service.copyImage({
          destinationRegion: away,
          sourceRegion: home,
          sourceImageId,
          name: `quota-${index}`,
          kmsKeyId: key,
          clientToken: `quota-${index}`,
          tags: managed,
        });
      };
      await copy(1);

      // Act
      const failure = await copy(2).catch((error: unknown) => error);

      // Assess
      expect(failure).toBeInstanceOf(CopyQuotaExceededError);
      expect(failure).toMatchObject({ region: away });
      expect((failure as Error).cause).toBeInstanceOf(EC2ServiceException);
    });

    it("raises ImageNotFoundError when the source image does not exist", async () => {
      // Prepare
      const { account, service } = setup();
      const key = account.createKey(away);

      // Act
      const copy = service.copyImage({
        destinationRegion: away,
        sourceRegion: home,
        sourceImageId: "ami-0123456789abcdef0",
        name: "ghost",
        kmsKeyId: key,
        clientToken: "ghost",
        tags: managed,
      });

      // Assess
      await expect(copy).rejects.toBeInstanceOf(ImageNotFoundError);
    });
  });

  describe("deprecateImage", () => {
    it("rounds the deprecation time up to the next minute", async () => {
      // Prepare
      const { account, service } = setup();
      const imageId = account.seedImage(home, { name: "old" });
      const at = new Date(account.clock.now().getTime() + 5 * 60_000 + 20_000);

      // Act
      await service.deprecateImage(home, imageId, at);

      // Assess
      const expected = new Date(account.clock.now().getTime() + 6 * 60_000).toISOString();
      expect((await service.describeImage(home, imageId))?.deprecationTime).toBe(expected);
    });

    it("accepts 'now' with seconds, which rounding to the nearest minute would put in the past", async () => {
      // Prepare
      const { account, service } = setup();
      const imageId = account.seedImage(home, { name: "now" });
      account.advance(10_000);

      // Act
      await service.deprecateImage(home, imageId, account.clock.now());

      // Assess
      expect((await service.describeImage(home, imageId))?.deprecationTime).toBeDefined();
    });

    it("asks again, further ahead, when EC2 sees 'now' only after the minute it was rounded up to", async () => {
      // Prepare: the call reaches EC2 90 s after it was made (a paced backlog waits for its token).
      const { account, service } = setup({
        pacing: { latency: { perOperationMs: { EnableImageDeprecation: 90_000 } } },
      });
      const imageId = account.seedImage(home, { name: "late" });
      account.advance(10_000);
      const asked = account.clock.now();

      // Act
      await service.deprecateImage(home, imageId, asked);

      // Assess: deprecated, at a minute EC2 accepted (not before it answered the retry).
      const deprecationTime = (await service.describeImage(home, imageId))?.deprecationTime;
      expect(deprecationTime).toBeDefined();
      expect(Date.parse(deprecationTime as string)).toBeGreaterThan(asked.getTime() + 90_000);
      expect(account.callCounts()[`${home}:EnableImageDeprecation`]).toBe(2);
    });

    it("does not ask again when EC2 refuses a time that is not past (more than 10 years ahead)", async () => {
      // Prepare
      const { account, service } = setup();
      const imageId = account.seedImage(home, { name: "far" });
      const tooFar = new Date(account.clock.nowMs() + 11 * 365 * 86_400_000);

      // Act
      const failure = await service.deprecateImage(home, imageId, tooFar).catch((error: unknown) => error);

      // Assess
      expect(failure).toBeInstanceOf(AwsOperationError);
      expect(failure).toMatchObject({ code: "InvalidParameterValue" });
      expect(account.callCounts()[`${home}:EnableImageDeprecation`]).toBe(1);
    });

    it("asks an unpaced deprecation for exactly the caller's time, however long the region's last one took", async () => {
      // Prepare: the region's first deprecation takes 90 s to answer (a slow network, a retried attempt)
      const { account, clients, service } = setup();
      holdFirstDeprecation(clients.ec2(home), account, 90_000);
      const first = account.seedImage(home, { name: "slow" });
      const second = account.seedImage(home, { name: "next" });
      await service.deprecateImage(home, first, new Date(account.clock.nowMs() + 3_600_000));
      account.clock.set("2026-11-20T10:05:00Z");

      // Act
      await service.deprecateImage(home, second, new Date("2026-11-20T10:05:30Z"));

      // Assess: the caller's time rounded up to EC2's minute, nothing added for the slow one before
      expect((await service.describeImage(home, second))?.deprecationTime).toBe("2026-11-20T10:06:00.000Z");
      expect(account.callCounts()[`${home}:EnableImageDeprecation`]).toBe(2);
    });

    it("gives a paced deprecation the pacer's time, with nothing added for a burst that waited for its tokens", async () => {
      // Prepare: 150 deprecations at once, the last of which waits 20 s for its token
      const { account, service } = setup({ pacing: { throttling: true, latency: true }, paced: true });
      const burst = Array.from({ length: 150 }, (_, index) =>
        account.seedImage(home, { name: `burst-${index}` }),
      );
      const later = account.seedImage(home, { name: "later" });
      const inAnHour = new Date(account.clock.nowMs() + 3_600_000);
      await Promise.all(burst.map((imageId) => service.deprecateImage(home, imageId, inAnHour)));
      account.clock.set("2026-11-20T10:05:45Z");

      // Act: asked for "now"
      await service.deprecateImage(home, later, account.clock.now());

      // Assess: the minute after the token and the pacer's 2 s lead, not 20 s further
      expect((await service.describeImage(home, later))?.deprecationTime).toBe("2026-11-20T10:06:00.000Z");
      expect(account.callCounts()[`${home}:EnableImageDeprecation`]).toBe(151);
    });
  });

  describe("deregisterImage", () => {
    it("deregisters and reports the deletion of each associated snapshot", async () => {
      // Prepare
      const { account, service } = setup();
      const imageId = account.seedImage(home, { name: "retire" });
      const snapshotId = account.snapshots(home)[0]?.SnapshotId;

      // Act
      const result = await service.deregisterImage(home, imageId);

      // Assess
      expect(result).toEqual({ snapshotResults: [{ snapshotId, returnCode: "success" }] });
      expect(await service.describeImage(home, imageId)).toBeUndefined();
      expect(account.snapshots(home)).toEqual([]);
    });

    it("refuses a protected image with AwsOperationError and an unknown one with ImageNotFoundError", async () => {
      // Prepare
      const { account, clients, service } = setup();
      const imageId = account.seedImage(home, { name: "keep" });
      await clients.ec2(home).send(new EnableImageDeregistrationProtectionCommand({ ImageId: imageId }));

      // Act
      const protectedFailure = await service.deregisterImage(home, imageId).catch((error: unknown) => error);
      const unknownFailure = await service
        .deregisterImage(home, "ami-0123456789abcdef0")
        .catch((error: unknown) => error);

      // Assess
      expect(protectedFailure).toBeInstanceOf(AwsOperationError);
      expect(protectedFailure).toMatchObject({
        operation: "EC2.DeregisterImage",
        code: "OperationNotPermitted",
      });
      expect(unknownFailure).toBeInstanceOf(ImageNotFoundError);
    });
  });

  describe("deleteSnapshot", () => {
    it("deletes a free snapshot, treats a missing one as deleted and refuses one in use", async () => {
      // Prepare
      const { account, clients, service } = setup();
      const usedImage = account.seedImage(home, { name: "uses-snapshot" });
      const freedImage = account.seedImage(home, { name: "frees-snapshot" });
      const [usedSnapshot, freedSnapshot] = account
        .snapshots(home)
        .map((snapshot) => snapshot.SnapshotId as string);
      await clients.ec2(home).send(new DeregisterImageCommand({ ImageId: freedImage }));

      // Act
      await service.deleteSnapshot(home, freedSnapshot as string);
      await service.deleteSnapshot(home, freedSnapshot as string);
      const inUse = await service
        .deleteSnapshot(home, usedSnapshot as string)
        .catch((error: unknown) => error);

      // Assess
      expect(account.snapshots(home).map((snapshot) => snapshot.SnapshotId)).toEqual([usedSnapshot]);
      expect(inUse).toBeInstanceOf(SnapshotInUseError);
      expect(inUse).toMatchObject({ region: home, snapshotId: usedSnapshot });
      expect(usedImage).toBeDefined();
    });
  });

  describe("findReferences", () => {
    it("finds instances, launch templates, SSM parameters and recipes, batching ids by ten", async () => {
      // Prepare
      const { account, service } = setup();
      const ids = Array.from({ length: imageReferenceBatchSize + 2 }, (_, index) =>
        account.seedImage(home, { name: `ref-${index}` }),
      );
      const [first, second, third, fourth] = ids as [string, string, string, string];
      const last = ids[ids.length - 1] as string;
      const running = account.runInstance(home, first);
      const stopped = account.runInstance(home, second);
      account.stopInstance(home, stopped);
      const terminated = account.runInstance(home, third);
      account.terminateInstance(home, terminated);
      const template = account.createLaunchTemplate(home, "web", fourth);
      account.putParameter(home, "/golden/web", last, "aws:ec2:image");
      const recipe = account.addImageRecipe(home, "web-recipe", last);
      account.resetCallCounts();

      // Act
      const references = await service.findReferences(home, ids);

      // Assess
      const found = references
        .map((reference) => `${reference.imageId} ${reference.resourceType} ${reference.arn}`)
        .sort();
      const arn = (service_: string, resource: string) =>
        `arn:aws:${service_}:${home}:${account.accountId}:${resource}`;
      expect(found).toEqual(
        [
          `${first} ec2:Instance ${arn("ec2", `instance/${running}`)}`,
          `${second} ec2:Instance ${arn("ec2", `instance/${stopped}`)}`,
          `${fourth} ec2:LaunchTemplate ${arn("ec2", `launch-template/${template}`)}`,
          `${last} ssm:Parameter ${arn("ssm", "parameter/golden/web")}`,
          `${last} imagebuilder:ImageRecipe ${recipe}`,
        ].sort(),
      );
      expect(references.every((reference) => reference.region === home)).toBe(true);
      expect(account.callCounts()[`${home}:DescribeImageReferences`]).toBe(2);
    });

    it("keeps asking for the remaining ids when one of a batch was deregistered meanwhile", async () => {
      // Prepare
      const { account, service } = setup();
      const gone = account.seedImage(home, { name: "gone" });
      const used = account.seedImage(home, { name: "used" });
      const instance = account.runInstance(home, used);
      await service.deregisterImage(home, gone);

      // Act
      const references = await service.findReferences(home, [gone, used]);

      // Assess
      expect(references.map((reference) => reference.arn)).toEqual([
        `arn:aws:ec2:${home}:${account.accountId}:instance/${instance}`,
      ]);
    });

    it("falls back to instances, every launch template version and SSM values where the API is missing", async () => {
      // Prepare
      const { account, service, referenceCalls } = setup({ withoutImageReferences: true });
      const [a, b, c, d, e] = Array.from({ length: 5 }, (_, index) =>
        account.seedImage(home, { name: `fallback-${index}` }),
      ) as [string, string, string, string, string];
      const instance = account.runInstance(home, a);
      const terminated = account.runInstance(home, e);
      account.terminateInstance(home, terminated);
      const defaultTemplate = account.createLaunchTemplate(home, "default-uses-b", b);
      const latestTemplate = account.createLaunchTemplate(home, "latest-uses-c");
      account.addLaunchTemplateVersion(home, latestTemplate, c);
      account.putParameter(home, "/deep/path/web", d);
      account.putParameter(home, "flat-web", d);

      // Act
      const references = await service.findReferences(home, [a, b, c, d, e]);
      await service.findReferences(home, [a]);

      // Assess
      const found = references
        .map((reference) => `${reference.imageId} ${reference.resourceType} ${reference.arn}`)
        .sort();
      expect(found).toEqual(
        [
          `${a} ec2:Instance arn:aws:ec2:${home}:${account.accountId}:instance/${instance}`,
          `${b} ec2:LaunchTemplate arn:aws:ec2:${home}::launch-template/${defaultTemplate}`,
          `${c} ec2:LaunchTemplate arn:aws:ec2:${home}::launch-template/${latestTemplate}`,
          `${d} ssm:Parameter arn:aws:ssm:${home}:${account.accountId}:parameter/deep/path/web`,
          `${d} ssm:Parameter arn:aws:ssm:${home}:${account.accountId}:parameter/flat-web`,
        ].sort(),
      );
      expect(referenceCalls).toHaveLength(1);
    });

    it("does not mistake other errors for a missing API", async () => {
      // Prepare
      const { account, service } = setup();
      const imageId = account.seedImage(home, { name: "throttled" });
      account.setFaults({ throttleRate: 1, only: ["DescribeImageReferences"] });

      // Act
      const failure = await service.findReferences(home, [imageId]).catch((error: unknown) => error);

      // Assess
      expect(failure).toBeInstanceOf(TransientAwsError);
    });
  });
});
