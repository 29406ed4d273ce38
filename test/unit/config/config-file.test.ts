import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  configFileName,
  configSchemaFileName,
  loadConfigFile,
  renderConfigJsonSchema,
} from "../../../packages/core/src/index";

const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));

function writeTemporaryConfig(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "ami-lifecycle-config-")), configFileName);
  writeFileSync(path, text);
  return path;
}

function configErrorOf(act: () => unknown): ConfigError {
  try {
    act();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfigFile", () => {
  it("loads the committed example configuration", () => {
    // Act
    const config = loadConfigFile(join(repositoryRoot, configFileName));

    // Assess
    expect(config.accounts).toEqual(["111122223333"]);
    expect(config.homeRegion).toBe("us-east-1");
    expect(config.mode).toBe("dry-run");
    expect(config.families.map((family) => family.name)).toEqual(["payments-api", "base-al2023"]);
    expect(config.families[0]?.copyTo.map((destination) => destination.region)).toEqual([
      "eu-west-1",
      "ap-southeast-2",
    ]);
  });

  it("names the file, the path and the reason of a schema violation", () => {
    // Prepare
    const document = JSON.parse(readFileSync(join(repositoryRoot, configFileName), "utf8"));
    document.families[1].retention.keepLatest = 0;
    const path = writeTemporaryConfig(JSON.stringify(document, null, 2));

    // Act
    const error = configErrorOf(() => loadConfigFile(path));

    // Assess
    expect(error.issues).toEqual([{ path: "families[1].retention.keepLatest", message: "must be ≥ 1" }]);
    expect(error.message).toBe(`${path} is invalid:\n  families[1].retention.keepLatest: must be ≥ 1`);
  });

  it("reports a JSON syntax error with its line and column", () => {
    // Prepare
    const path = writeTemporaryConfig(
      '{\n  "accounts": ["111122223333",],\n  "homeRegion": "us-east-1"\n}\n',
    );

    // Act
    const error = configErrorOf(() => loadConfigFile(path));

    // Assess
    expect(error.issues).toEqual([
      { path: "(root)", message: "is not valid JSON: Unexpected token ']' at line 2, column 31" },
    ]);
    expect(error.message).toContain(path);
  });

  it("locates an unexpected bare word, which JSON.parse reports without a position", () => {
    // Prepare
    const path = writeTemporaryConfig('{\n  "mode": dry-run\n}');

    // Act
    const error = configErrorOf(() => loadConfigFile(path));

    // Assess
    expect(error.issues).toEqual([
      { path: "(root)", message: "is not valid JSON: Unexpected token 'd' at line 2, column 11" },
    ]);
  });

  it("reports a truncated file at its end", () => {
    // Prepare
    const path = writeTemporaryConfig('{\n  "accounts": [');

    // Act
    const error = configErrorOf(() => loadConfigFile(path));

    // Assess
    expect(error.issues).toEqual([
      { path: "(root)", message: "is not valid JSON: Unexpected end of JSON input at line 2, column 16" },
    ]);
  });

  it("reads a file saved with a UTF-8 byte order mark, as some editors on Windows write it", () => {
    // Prepare
    const example = readFileSync(join(repositoryRoot, configFileName), "utf8");
    const path = writeTemporaryConfig(`\uFEFF${example}`);

    // Act
    const config = loadConfigFile(path);

    // Assess
    expect(config.families.map((family) => family.name)).toEqual(["payments-api", "base-al2023"]);
  });

  it("reports a missing file as unreadable, naming it", () => {
    // Prepare
    const path = join(mkdtempSync(join(tmpdir(), "ami-lifecycle-config-")), "absent.json");

    // Act
    const error = configErrorOf(() => loadConfigFile(path));

    // Assess
    expect(error.issues).toEqual([{ path: "(root)", message: "cannot be read (ENOENT)" }]);
    expect(error.message).toBe(`${path} is invalid:\n  (root): cannot be read (ENOENT)`);
  });
});

describe("committed JSON Schema", () => {
  it("is up to date with the zod schema (regenerate: npx tsx scripts/generate-config-schema.ts)", () => {
    // Prepare
    const committed = readFileSync(join(repositoryRoot, configSchemaFileName), "utf8");

    // Act
    const generated = renderConfigJsonSchema();

    // Assess
    expect(committed).toBe(generated);
  });

  it("makes fields with defaults optional, as an editor should offer them", () => {
    // Act
    const schema = JSON.parse(renderConfigJsonSchema());

    // Assess
    expect(schema.required).toEqual(["accounts", "homeRegion", "regions", "families"]);
    expect(schema.properties.families.items.required).toEqual(["name", "team", "match"]);
    expect(schema.properties.families.items.properties.retention.required).toBeUndefined();
  });

  it("is referenced by the committed configuration", () => {
    // Act
    const document = JSON.parse(readFileSync(join(repositoryRoot, configFileName), "utf8"));

    // Assess
    expect(document.$schema).toBe(`./${configSchemaFileName}`);
  });
});
