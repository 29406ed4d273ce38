import { readFileSync } from "node:fs";
import * as z from "zod/mini";
import { checkedConfigDocument, checkedConfigFileName } from "./checked-config";
import { type Config, configSchema, parseConfig } from "./config";
import { withFieldDescriptions } from "./config-descriptions";
import { configFileName } from "./config-limits";
import { ConfigError } from "./errors";

/** Name of the JSON Schema generated from `configSchema`, referenced by the file's `$schema`. */
export const configSchemaFileName = "ami-lifecycle.schema.json";

const byteOrderMark = "\uFEFF";

/** Reads, parses and validates a configuration file; every error names the file, the path and the reason. */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    throw new ConfigError([{ path: "(root)", message: `cannot be read (${code})` }], path);
  }
  return parseConfigText(text, path);
}

/** Parses the text of a configuration file; JSON syntax errors are reported with line and column. */
export function parseConfigText(text: string, source = "config"): Config {
  let document: unknown;
  // Editors on Windows may save UTF-8 with a byte order mark; JSON.parse rejects it as an invisible token.
  const json = text.startsWith(byteOrderMark) ? text.slice(byteOrderMark.length) : text;
  try {
    document = JSON.parse(json);
  } catch (error) {
    throw new ConfigError([{ path: "(root)", message: describeJsonSyntaxError(json, error) }], source);
  }
  return parseConfig(document, source);
}

/** The text of `ami-lifecycle.config.checked.json` for a validated configuration read from `source`. */
export function renderCheckedConfig(config: Config, source = configFileName): string {
  return `${JSON.stringify(checkedConfigDocument(config, source), null, 2)}\n`;
}

/**
 * Why the committed checked configuration cannot be deployed with `config` (missing, or written from
 * another version of the config file), or undefined when it matches.
 */
export function checkedConfigProblem(
  config: Config,
  checkedPath = checkedConfigFileName,
): string | undefined {
  let committed: string;
  try {
    committed = readFileSync(checkedPath, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unknown error";
    return `${checkedPath} cannot be read (${code}): run \`npm run check-config\``;
  }
  if (committed === renderCheckedConfig(config)) return undefined;
  return `${checkedPath} was written from another version of ${configFileName}: run \`npm run check-config\``;
}

/**
 * The JSON Schema of the configuration file as committed (`ami-lifecycle.schema.json`). Generated for the
 * input side so that fields with defaults are optional; cross-field rules are enforced by `parseConfig` only.
 */
export function renderConfigJsonSchema(): string {
  // The descriptions live in their own table, not in the zod schema the handlers bundle.
  const schema = withFieldDescriptions(
    z.toJSONSchema(configSchema, { io: "input", target: "draft-2020-12" }),
  );
  return `${JSON.stringify({ ...schema, title: "ami-lifecycle configuration" }, null, 2)}\n`;
}

function describeJsonSyntaxError(text: string, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  // V8 names the position for most errors but not for an unexpected token, so fall back to a scan.
  const reported = /at position (\d+)/.exec(reason)?.[1];
  const offset = reported !== undefined ? Number(reported) : firstSyntaxErrorOffset(text);
  const { line, column } = lineAndColumn(text, offset);
  const shortReason = reason
    .replace(/, [\s\S]* is not valid JSON$/, "")
    .replace(/ (in JSON )?at position \d+[\s\S]*$/, "");
  return `is not valid JSON: ${shortReason} at line ${line}, column ${column}`;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * Offset of the first character JSON.parse rejects, for the messages that don't name it ("Unexpected
 * token"). Every prefix up to that offset fails only for ending early, every longer one fails before its
 * end, so a binary search over prefix lengths finds it.
 */
function firstSyntaxErrorOffset(text: string): number {
  if (!failsBeforeEnd(text)) return text.length;
  let valid = 0;
  let invalid = text.length;
  while (invalid - valid > 1) {
    const middle = Math.floor((valid + invalid) / 2);
    if (failsBeforeEnd(text.slice(0, middle))) invalid = middle;
    else valid = middle;
  }
  return valid;
}

function failsBeforeEnd(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    if (message.startsWith("Unexpected end of JSON input")) return false;
    const position = /at position (\d+)/.exec(message)?.[1];
    return position === undefined || Number(position) < prefix.length;
  }
}
