/**
 * Writes `packages/core/src/aws-regions.ts` (the region names `validate` and the handlers accept) from the
 * installed AWS SDK. Run after upgrading the SDK: `npx tsx scripts/generate-aws-regions.ts`. A unit test
 * fails while the committed file is out of date.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderRegionsModule, sdkRegionNames } from "./sdk-regions";

const target = fileURLToPath(new URL("../packages/core/src/aws-regions.ts", import.meta.url));
writeFileSync(target, renderRegionsModule(await sdkRegionNames()));
console.log("wrote packages/core/src/aws-regions.ts");
