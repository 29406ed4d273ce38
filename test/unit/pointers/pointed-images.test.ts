import { describe, expect, it } from "vitest";
import { type ImagePointers, pointedImages, pointerName } from "../../../packages/core/src/index";
import { family as familyWith } from "../retention/builders";

const region = "us-east-1";
const namePattern = "/ami-lifecycle/{family}/{channel}";

/**
 * Pointers held in memory whose reads each wait one turn before they answer, counting how many are in
 * flight at once: read one after another, never more than one is.
 */
class InFlightPointers implements ImagePointers {
  inFlight = 0;
  mostInFlight = 0;
  readonly read: string[] = [];

  constructor(private readonly held: ReadonlyMap<string, string>) {}

  async getPointer(at: string, name: string): Promise<string | undefined> {
    this.read.push(name);
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    await Promise.resolve();
    this.inFlight--;
    return this.held.get(`${at}${name}`);
  }

  putPointer(): never {
    throw new Error("pointedImages only reads pointers");
  }
}

/** The family `web` with two pinned channels. */
function web() {
  return { ...familyWith(), channels: ["stable", "beta"] };
}

/** `latest` and both channels of `web` in the region, each naming its own image. */
function heldPointers(): Map<string, string> {
  const names = (channel: string) => `${region}${pointerName(namePattern, "web", channel)}`;
  return new Map([
    [names("latest"), "ami-latest"],
    [names("stable"), "ami-stable"],
    [names("beta"), "ami-beta"],
  ]);
}

describe("pointedImages", () => {
  it("reads latest and every pinned channel at once, and names each image they hold", async () => {
    // Prepare
    const pointers = new InFlightPointers(heldPointers());

    // Act
    const pointed = await pointedImages(pointers, namePattern, web(), region);

    // Assess
    expect([...pointed].sort()).toEqual(["ami-beta", "ami-latest", "ami-stable"]);
    expect(pointers.read).toHaveLength(3);
    expect(pointers.mostInFlight).toBe(3);
  });

  it("takes latest from the caller that just wrote it and reads only the channels, at once", async () => {
    // Prepare: the pointer store still holds the image latest left.
    const pointers = new InFlightPointers(heldPointers());

    // Act
    const pointed = await pointedImages(pointers, namePattern, web(), region, { latest: "ami-new" });

    // Assess
    expect([...pointed].sort()).toEqual(["ami-beta", "ami-new", "ami-stable"]);
    expect(pointers.read).toEqual([
      pointerName(namePattern, "web", "stable"),
      pointerName(namePattern, "web", "beta"),
    ]);
    expect(pointers.mostInFlight).toBe(2);
  });
});
