import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { configFieldDescriptions } from "../../../packages/core/src/config-descriptions";

const root = resolve(import.meta.dirname, "../../..");
/** The Lambda entry points (functions/index.ts is the CLI's workspace entry, not a Lambda). */
const handlers = readdirSync(resolve(root, "functions"))
  .filter((file) => file.endsWith(".ts") && file !== "index.ts")
  .map((file) => file.replace(/\.ts$/, ""));

/** Each handler's carried inputs and its bundle's text, built once for every pin below. */
const carriedByHandler = new Map<string, Promise<string[]>>();
const bundleTextByHandler = new Map<string, string>();

/** The inputs that put bytes into a function's bundle (built once per handler). */
function carriedInputs(handler: string): Promise<string[]> {
  let inputs = carriedByHandler.get(handler);
  if (!inputs) {
    inputs = buildCarriedInputs(handler);
    carriedByHandler.set(handler, inputs);
  }
  return inputs;
}

/** The inputs that put bytes into a function's bundle (tree-shaken as the stack builds it). */
async function buildCarriedInputs(handler: string): Promise<string[]> {
  const result = await build({
    entryPoints: [resolve(root, "functions", `${handler}.ts`)],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "esnext",
    mainFields: ["module", "main"],
    keepNames: true,
    minify: true,
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  bundleTextByHandler.set(handler, result.outputFiles.map((file) => file.text).join("\n"));
  return Object.values(result.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
}

/**
 * Bytes a handler never runs are cold-start time it pays on every new container (issue 14, bundle bytes
 * ≤ 1.20 × the SDK clients alone). These pin what each bundle leaves out.
 */
describe("what each Lambda bundle carries", () => {
  it.each(handlers)(
    "%s carries the image reference lookups and the Auto Scaling client only if it is the sweep",
    async (handler) => {
      const inputs = await carriedInputs(handler);
      const sweeps = handler === "retention-sweep";
      expect(inputs.some((input) => input.includes("@aws-sdk/client-auto-scaling/"))).toBe(sweeps);
      expect(inputs.some((input) => input.endsWith("ec2/image-references.ts"))).toBe(sweeps);
    },
    // A limit for a loaded machine, not a speed check (bench/bundle.ts measures).
    120_000,
  );

  it.each(handlers)(
    "%s carries the cross-account session and its STS and Organizations clients only if it is the sweep",
    async (handler) => {
      const inputs = await carriedInputs(handler);
      const sweeps = handler === "retention-sweep";
      expect(inputs.some((input) => input.includes("@aws-sdk/client-organizations/"))).toBe(sweeps);
      expect(inputs.some((input) => input.includes("@aws-sdk/client-sts/"))).toBe(sweeps);
      expect(inputs.some((input) => input.endsWith("runtime/cross-account.ts"))).toBe(sweeps);
      expect(inputs.some((input) => input.endsWith("organization/consumer-probes.ts"))).toBe(sweeps);
    },
    120_000,
  );

  it.each(handlers)(
    "%s carries no document client library (the registry marshals its items itself)",
    async (handler) => {
      const inputs = await carriedInputs(handler);
      expect(inputs.filter((input) => input.includes("@aws-sdk/lib-dynamodb/"))).toEqual([]);
      expect(inputs.filter((input) => input.includes("@aws-sdk/util-dynamodb/"))).toEqual([]);
      expect(inputs.some((input) => input.endsWith("registry/documents.ts"))).toBe(true);
    },
    120_000,
  );

  it.each(handlers)(
    "%s carries the Recycle Bin restore adapter only if it is the restore",
    async (handler) => {
      const inputs = await carriedInputs(handler);
      const restores = handler === "restore";
      expect(inputs.some((input) => input.endsWith("ec2/restore-service.ts"))).toBe(restores);
      // Restoring a snapshot from the bin is the restore's call alone (the sweep only lists the bin's rules).
      expect(inputs.some((input) => input.endsWith("commands/RestoreSnapshotFromRecycleBinCommand.js"))).toBe(
        restores,
      );
    },
    120_000,
  );

  it.each(handlers)(
    "%s carries the sweep's cursor store and run log only if it is the sweep",
    async (handler) => {
      const inputs = await carriedInputs(handler);
      const sweeps = handler === "retention-sweep";
      expect(inputs.some((input) => input.endsWith("registry/sweep-progress.ts"))).toBe(sweeps);
      expect(inputs.some((input) => input.endsWith("registry/sweep-run-log.ts"))).toBe(sweeps);
    },
    120_000,
  );

  it.each(handlers)(
    "%s carries the registry's rollback decisions only if it is the rollback",
    async (handler) => {
      const inputs = await carriedInputs(handler);
      expect(inputs.some((input) => input.endsWith("registry/rollback-decisions.ts"))).toBe(
        handler === "rollback",
      );
    },
    120_000,
  );

  it.each(handlers)(
    "%s carries none of the config's field descriptions (only the JSON Schema renderer needs them)",
    async (handler) => {
      const inputs = await carriedInputs(handler);
      expect(inputs.some((input) => input.endsWith("core/src/config-descriptions.ts"))).toBe(false);
      const text = bundleTextByHandler.get(handler) ?? "";
      expect(text.length).toBeGreaterThan(0);
      // Whole string literals, in any of the quotes esbuild picks: an error message may share a description's words.
      const carried = Object.values(configFieldDescriptions).filter((description) =>
        ['"', "'", "`"].some((quote) => text.includes(`${quote}${description}${quote}`)),
      );
      expect(carried).toEqual([]);
    },
    120_000,
  );

  /** The event contracts (zod schemas) each handler parses; the guards name CloudTrail's fields through the API-call contract. */
  const eventContracts: Record<string, string[]> = {
    "image-api-call": ["cloudtrail-image-call"],
    "image-state-change": ["ami-state-change"],
    "image-permission-change": ["cloudtrail-image-call", "image-permission-change"],
    "image-tag-change": ["cloudtrail-image-call", "image-tag-change"],
  };

  it.each(handlers)(
    "%s carries no other handler's event contract",
    async (handler) => {
      const inputs = await carriedInputs(handler);
      const carried = inputs
        .map(
          (input) =>
            /core\/src\/events\/(ami-state-change|cloudtrail-image-call|image-permission-change|image-tag-change)\.ts$/.exec(
              input,
            )?.[1],
        )
        .filter((name): name is string => name !== undefined)
        .sort();
      expect(carried).toEqual(eventContracts[handler] ?? []);
    },
    120_000,
  );

  it.each(handlers)(
    "%s carries no configuration schema: it runs on the config the deploy checked",
    async (handler) => {
      const inputs = await carriedInputs(handler);
      const schemaModules = inputs.filter((input) =>
        /core\/src\/(config|schedule-expression|organization\/config|storage-prices)\.ts$/.test(input),
      );
      expect(schemaModules).toEqual([]);
      expect(inputs.some((input) => input.endsWith("core/src/checked-config.ts"))).toBe(true);
    },
    120_000,
  );

  it.each(handlers)(
    "%s carries zod only for an event contract, and then with its English messages",
    async (handler) => {
      const inputs = await carriedInputs(handler);
      const carriesZod = inputs.some((input) => input.includes("node_modules/zod/"));
      // The sweep reads its request and the environment by hand (contracts/field-reader.ts).
      expect(carriesZod).toBe(handler !== "retention-sweep");
      expect(inputs.some((input) => input.endsWith("zod/v4/locales/en.js"))).toBe(carriesZod);
    },
    120_000,
  );
});
