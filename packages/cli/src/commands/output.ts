import { type OptionSpec, type OptionValues, stringOption } from "../cli/command";
import { UsageError } from "../cli/errors";

/** `--output json|table` (with `--json` kept as its alias). */
export const outputOption: Record<string, OptionSpec> = {
  output: { type: "string", value: "FORMAT", description: "json or table (default table)" },
  json: { type: "boolean", description: "same as --output json" },
};

/** The output format asked for; anything but json or table is a UsageError naming the flag. */
export function outputFormat(values: OptionValues, command: string): "json" | "table" {
  const output = stringOption(values, "output");
  if (output !== undefined && output !== "json" && output !== "table") {
    throw new UsageError(`--output must be json or table, got "${output}"`, command);
  }
  if (values.json === true) {
    if (output === "table") throw new UsageError("--json and --output table contradict each other", command);
    return "json";
  }
  return output ?? "table";
}

/** True when `--output json` (or `--json`) was asked for. */
export function wantsJson(values: OptionValues, command: string): boolean {
  return outputFormat(values, command) === "json";
}
