import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { configSchema } from "../../../packages/core/src/config";
import {
  configFieldDescriptions,
  schemaFields,
  undescribedFields,
  withFieldDescriptions,
} from "../../../packages/core/src/config-descriptions";
import { renderConfigJsonSchema } from "../../../packages/core/src/config-file";

const generated = () => z.toJSONSchema(configSchema, { io: "input", target: "draft-2020-12" });

describe("config field descriptions (one table, out of the handlers' bundles)", () => {
  it("describes every field of the schema but the parts of an already described object", () => {
    // A new field without an entry fails here: describe it in config-descriptions.ts.
    expect(undescribedFields(generated())).toEqual([
      "notifications.digest.enabled",
      "notifications.digest.day",
      "report.snapshotPrices.asOf",
      "report.snapshotPrices.currency",
      "report.snapshotPrices.perGiBMonth",
      "report.snapshotPrices.otherRegions",
      "families[].copyTo[].region",
      "families[].copyTo[].kmsKeyId",
      "families[].retention.keepTag.key",
      "families[].retention.keepTag.value",
    ]);
  });

  it("puts every entry's text on its field in the rendered JSON Schema", () => {
    const rendered = JSON.parse(renderConfigJsonSchema());
    const described = new Map(schemaFields(rendered).map(([path, node]) => [path, node.description]));
    for (const [path, text] of Object.entries(configFieldDescriptions))
      expect(described.get(path)).toBe(text);
  });

  it("refuses an entry that names no field (a renamed field would lose its description)", () => {
    const schema = generated();
    delete schema.properties?.homeRegion;
    expect(() => withFieldDescriptions(schema)).toThrow(
      "config descriptions name no field of the schema: homeRegion",
    );
  });
});
