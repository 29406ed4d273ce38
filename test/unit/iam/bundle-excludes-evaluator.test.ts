import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
const functions = readdirSync(resolve(root, "functions")).filter((file) => file.endsWith(".ts"));

/**
 * The IAM evaluator (`@cloud-copilot/iam-simulate`) is AGPL-3.0: tests, the sandbox and the benches may
 * use it, a Lambda bundle never. Bundles each function as the stack does (esbuild, node, ESM) and
 * reads the metafile's inputs.
 */
describe("Lambda bundles", () => {
  it.each(functions)(
    "functions/%s pulls in nothing of @cloud-copilot",
    async (file) => {
      const result = await build({
        entryPoints: [resolve(root, "functions", file)],
        bundle: true,
        platform: "node",
        format: "esm",
        target: "esnext",
        mainFields: ["module", "main"],
        metafile: true,
        write: false,
        logLevel: "silent",
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.length).toBeGreaterThan(10);
      expect(inputs.filter((input) => input.includes("@cloud-copilot"))).toEqual([]);
      // A limit for a loaded machine, not a speed check (bench/bundle.ts measures).
    },
    120_000,
  );
});
