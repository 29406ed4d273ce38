import { describe, expect, it } from "vitest";
import { knownAwsRegions } from "../../../packages/core/src/aws-regions";
import { awsRegionSchema } from "../../../packages/core/src/contracts/zod-fields";
import { sdkRegionNames } from "../../../scripts/sdk-regions";

describe("knownAwsRegions", () => {
  it("is the installed AWS SDK's region list (regenerate: npx tsx scripts/generate-aws-regions.ts)", async () => {
    expect(knownAwsRegions).toEqual(await sdkRegionNames());
  });

  it("holds only names the region shape accepts, so no known region is refused for its spelling", () => {
    const refused = knownAwsRegions.filter((region) => !awsRegionSchema.safeParse(region).success);
    expect(refused).toEqual([]);
  });
});
