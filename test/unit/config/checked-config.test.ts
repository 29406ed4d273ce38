import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import {
  type Config,
  ConfigError,
  checkedConfigFileName,
  checkedConfigFormat,
  checkedConfigProblem,
  configOfCheckedDocument,
  loadConfigFile,
  parseConfig,
  renderCheckedConfig,
} from "@ami-lifecycle/core";
import { describe, expect, it } from "vitest";
import { sandboxConfig } from "../../../packages/cli/src/sandbox/sandbox-config";
import { loadServiceConfig } from "../../../stacks/config";

const root = resolve(import.meta.dirname, "../../..");

/** A directory of its own for a checked file written by a test. */
function scratchFile(name: string, content?: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "ami-checked-config-")), name);
  if (content !== undefined) writeFileSync(path, content);
  return path;
}

describe("the checked configuration the functions run on", () => {
  it("is committed as written from ami-lifecycle.config.json (else: npm run check-config)", () => {
    // Prepare
    const config = loadConfigFile(resolve(root, "ami-lifecycle.config.json"));

    // Act
    const problem = checkedConfigProblem(config, resolve(root, checkedConfigFileName));

    // Assess
    expect(problem).toBeUndefined();
  });

  it.each<[string, () => Config]>([
    ["the repository's config", () => loadConfigFile(resolve(root, "ami-lifecycle.config.json"))],
    ["the sandbox's config (organization, pointers, channels, sharing)", () => sandboxConfig()],
  ])("carries %s exactly as parseConfig returned it, through JSON", (_, load) => {
    // Prepare
    const config = load();

    // Act
    const read = configOfCheckedDocument(JSON.parse(renderCheckedConfig(config)));

    // Assess: nothing JSON cannot hold (a Date, a Map, an undefined kept on purpose) is lost.
    expect(read).toEqual(config);
    expect(parseConfig(read)).toEqual(config);
  });

  it("refuses a document that is not a checked config, naming the format and the command", () => {
    // Prepare: the raw config file, bundled by mistake
    const raw = JSON.parse(readFileSync(resolve(root, "ami-lifecycle.config.json"), "utf8"));

    // Act
    const read = () => configOfCheckedDocument(raw, "bundle");

    // Assess
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(
      `format: must be "${checkedConfigFormat}": write the file with \`npm run check-config\``,
    );
    expect(() => configOfCheckedDocument(null)).toThrow(ConfigError);
    expect(() => configOfCheckedDocument({ format: checkedConfigFormat })).toThrow(ConfigError);
  });

  it("tells the deploy when the checked file was written from another version of the config", () => {
    // Prepare
    const config = loadConfigFile(resolve(root, "ami-lifecycle.config.json"));
    const changed = parseConfig({ ...config, mode: "enforce" });
    const checkedPath = scratchFile(checkedConfigFileName, renderCheckedConfig(config));

    // Act
    const stale = checkedConfigProblem(changed, checkedPath);
    const fresh = checkedConfigProblem(config, checkedPath);
    const missing = checkedConfigProblem(config, scratchFile(checkedConfigFileName));

    // Assess
    expect(stale).toBe(
      `${checkedPath} was written from another version of ami-lifecycle.config.json: run \`npm run check-config\``,
    );
    expect(fresh).toBeUndefined();
    expect(missing).toMatch(/cannot be read \(ENOENT\): run `npm run check-config`$/);
  });

  it("is what the deploy refuses to go on without: a config edited after its check stops the stacks", () => {
    // Prepare: the repository's config and its checked file, then the config edited without a new check
    const document = JSON.parse(readFileSync(resolve(root, "ami-lifecycle.config.json"), "utf8"));
    const configPath = scratchFile("ami-lifecycle.config.json", JSON.stringify(document));
    const checkedPath = join(dirname(configPath), checkedConfigFileName);
    writeFileSync(checkedPath, renderCheckedConfig(loadConfigFile(configPath)));
    const checked = loadServiceConfig(configPath, checkedPath);
    writeFileSync(configPath, JSON.stringify({ ...document, mode: "enforce" }));

    // Act
    const deploy = () => loadServiceConfig(configPath, checkedPath);

    // Assess
    expect(checked.mode).toBe("dry-run");
    expect(deploy).toThrow(ConfigError);
    expect(deploy).toThrow(`${checkedPath} was written from another version of ami-lifecycle.config.json`);
  });
});
