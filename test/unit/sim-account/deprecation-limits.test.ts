import {
  DisableImageDeprecationCommand,
  EnableImageDeprecationCommand,
  ModifyImageAttributeCommand,
} from "@aws-sdk/client-ec2";
import { describe, expect, it } from "vitest";
import { EAST, failure, setup } from "./helpers";
import { makePublic } from "./public-image";

/** The simulated clock's start (SimClock's default). */
const START = Date.parse("2026-11-20T10:00:00Z");
const DAY = 24 * 60 * 60_000;

/** A seeded image made public (block public access lifted first, as AWS requires). */
async function publicImage(creationDate: string) {
  const world = setup();
  const image = world.account.seedImage(EAST, { name: "public-1", creationDate });
  await makePublic(world.east, image);
  return { ...world, image };
}

const deprecate = (east: ReturnType<typeof setup>["east"], ImageId: string, at: number) =>
  east.send(new EnableImageDeprecationCommand({ ImageId, DeprecateAt: new Date(at) }));

describe("simulated EnableImageDeprecation limits (EC2 API reference, EnableImageDeprecation, DeprecateAt)", () => {
  it("refuses a public AMI a date past 2 years from its creation, and lets a private one go past it", async () => {
    // Prepare: the image was created a year before now, so its public cap is a year ahead.
    const { account, east, image } = await publicImage("2025-11-20T10:00:00.000Z");
    const privateImage = account.seedImage(EAST, {
      name: "private-1",
      creationDate: "2025-11-20T10:00:00.000Z",
    });
    const publicCap = Date.parse("2027-11-20T10:00:00.000Z");
    // Act
    const pastCap = await failure(deprecate(east, image, publicCap + DAY));
    await deprecate(east, image, publicCap);
    await deprecate(east, privateImage, publicCap + 365 * DAY);
    // Assess
    expect(pastCap.name).toBe("InvalidParameterValue");
    expect(pastCap.message).toMatch(/public/i);
    expect(account.image(EAST, image)?.DeprecationTime).toBe("2027-11-20T10:00:00.000Z");
    expect(account.image(EAST, privateImage)?.DeprecationTime).toBe("2028-11-19T10:00:00.000Z");
  });

  it("refuses a private AMI a date past 10 years from now and accepts exactly 10 years", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1" });
    const tenYears = Date.parse("2036-11-20T10:00:00.000Z");
    // Act
    const pastLimit = await failure(deprecate(east, image, tenYears + 60_000));
    await deprecate(east, image, tenYears);
    // Assess
    expect(pastLimit.name).toBe("InvalidParameterValue");
    expect(pastLimit.message).toMatch(/10 years/);
    expect(account.image(EAST, image)?.DeprecationTime).toBe("2036-11-20T10:00:00.000Z");
  });

  it('checks the value the caller gave, not the rounded one ("You can\'t specify a date in the past")', async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1" });
    // Act: at 10:00:10, 10:00:20 is ahead although it rounds to 10:00:00.
    account.advance(10_000);
    await deprecate(east, image, START + 20_000);
    const stored = account.image(EAST, image)?.DeprecationTime;
    // At 10:00:40, 10:00:35 is past although it rounds to 10:01:00.
    account.advance(30_000);
    const past = await failure(deprecate(east, image, START + 35_000));
    // Assess
    expect(stored).toBe("2026-11-20T10:00:00.000Z");
    expect(past.name).toBe("InvalidParameterValue");
    expect(account.image(EAST, image)?.DeprecationTime).toBe("2026-11-20T10:00:00.000Z");
  });
});

describe("simulated default deprecation of public AMIs (EC2 User Guide, Deprecate an AMI)", () => {
  it("sets a public AMI without a deprecation time to 2 years after its creation", async () => {
    // Prepare + Act
    const { account, image } = await publicImage("2025-11-20T10:00:00.000Z");
    // Assess
    expect(account.image(EAST, image)?.DeprecationTime).toBe("2027-11-20T10:00:00.000Z");
  });

  it("keeps an earlier deprecation time the owner set before making the AMI public", async () => {
    // Prepare
    const { account, east } = setup();
    const image = account.seedImage(EAST, { name: "app-1", creationDate: "2025-11-20T10:00:00.000Z" });
    await deprecate(east, image, START + 30 * DAY);
    // Act
    await makePublic(east, image);
    // Assess
    expect(account.image(EAST, image)?.DeprecationTime).toBe("2026-12-20T10:00:00.000Z");
  });

  it("deprecates at once a public AMI created more than 2 years ago", async () => {
    // Prepare + Act
    const { account, image } = await publicImage("2024-01-05T08:30:00.000Z");
    // Assess: the default lies in the past, so the AMI reads as deprecated from now on.
    expect(account.image(EAST, image)?.DeprecationTime).toBe("2026-01-05T08:30:00.000Z");
  });

  it("refuses to cancel a public AMI's deprecation until the AMI is private again", async () => {
    // Prepare
    const { account, east, image } = await publicImage("2025-11-20T10:00:00.000Z");
    // Act
    const refused = await failure(east.send(new DisableImageDeprecationCommand({ ImageId: image })));
    const keptWhilePublic = account.image(EAST, image)?.DeprecationTime;
    await east.send(
      new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Remove: [{ Group: "all" }] } }),
    );
    const keptWhenPrivate = account.image(EAST, image)?.DeprecationTime;
    await east.send(new DisableImageDeprecationCommand({ ImageId: image }));
    // Assess
    expect(refused.name).toBe("OperationNotPermitted");
    expect(refused.message).toMatch(/public/i);
    expect(keptWhilePublic).toBe("2027-11-20T10:00:00.000Z");
    expect(keptWhenPrivate).toBe("2027-11-20T10:00:00.000Z");
    expect(account.image(EAST, image)?.DeprecationTime).toBeUndefined();
  });

  it("moves a public AMI's deprecation later than 2 years after creation only once it is private", async () => {
    // Prepare
    const { account, east, image } = await publicImage("2025-11-20T10:00:00.000Z");
    const later = Date.parse("2028-11-20T10:00:00.000Z");
    // Act
    const refused = await failure(deprecate(east, image, later));
    await east.send(
      new ModifyImageAttributeCommand({ ImageId: image, LaunchPermission: { Remove: [{ Group: "all" }] } }),
    );
    await deprecate(east, image, later);
    // Assess
    expect(refused.name).toBe("InvalidParameterValue");
    expect(account.image(EAST, image)?.DeprecationTime).toBe("2028-11-20T10:00:00.000Z");
  });
});
