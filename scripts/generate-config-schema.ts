/**
 * Writes `ami-lifecycle.schema.json` (the JSON Schema editors use for `ami-lifecycle.config.json`) from
 * core's zod config schema. Run after changing the schema: `npx tsx scripts/generate-config-schema.ts`.
 * A unit test fails while the committed file is out of date.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configSchemaFileName, renderConfigJsonSchema } from "../packages/core/src/config-file";

const target = fileURLToPath(new URL(`../${configSchemaFileName}`, import.meta.url));
writeFileSync(target, renderConfigJsonSchema());
console.log(`wrote ${configSchemaFileName}`);
