import { EnableImageDeprecationCommand } from "@aws-sdk/client-ec2";
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
  it("caps a public AMI at 2 years from its creation date, a private one at 10 years from now", async () => {
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
