import { parseArgs } from "node:util";
import { UsageError } from "./errors";
import type { CliIo } from "./io";

/** One option of a command, as `util.parseArgs` takes it plus what `--help` prints. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** placeholder of the value in the usage (`FILE`, `NAME`) */
  value?: string;
  description: string;
}

/** Parsed option values of a command. */
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** What a command receives: its parsed options and positional arguments. */
export interface CommandInput {
  values: OptionValues;
  positionals: string[];
}

/** A command of the CLI: its usage, its options, and what it does. Returns the exit code. */
export interface CommandSpec {
  name: string;
  /** one line for the command list */
  summary: string;
  /** positional arguments as the usage line shows them (`<family>`, `[config]`) */
  arguments?: string;
  /** bounds on the number of positional arguments */
  positionals: { min: number; max: number };
  /** a few lines that explain what the command does and what it needs */
  description: string;
  options: Record<string, OptionSpec>;
  examples: string[];
  run(input: CommandInput, io: CliIo): Promise<number>;
}

/** The option every command has. */
export const helpOption: Record<string, OptionSpec> = {
  help: { type: "boolean", short: "h", description: "show this help and exit" },
};

/** Parses a command's arguments strictly: an unknown flag, a missing value or a stray argument is a UsageError. */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): CommandInput {
  const options = { ...spec.options, ...helpOption };
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        Object.entries(options).map(([name, option]) => [
          name,
          {
            type: option.type,
            ...(option.short ? { short: option.short } : {}),
            ...(option.multiple ? { multiple: true } : {}),
          },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    }) as { values: OptionValues; positionals: string[] };
  } catch (error) {
    throw new UsageError(describeParseError(error), spec.name);
  }
  if (parsed.values.help) return parsed;
  const count = parsed.positionals.length;
  if (count < spec.positionals.min) {
    throw new UsageError(`missing argument ${spec.arguments ?? ""}`.trimEnd(), spec.name);
  }
  if (count > spec.positionals.max) {
    const extra = parsed.positionals.slice(spec.positionals.max).join(" ");
    throw new UsageError(`unexpected argument: ${extra}`, spec.name);
  }
  return parsed;
}

/** The `--help` text of one command. */
export function commandHelp(spec: CommandSpec): string {
  const options = { ...spec.options, ...helpOption };
  const rows = Object.entries(options).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : "    "}--${name}${option.type === "string" ? ` ${option.value ?? "VALUE"}` : ""}`;
    return [flag, option.description] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    `Usage: ami-lifecycle ${spec.name}${spec.arguments ? ` ${spec.arguments}` : ""} [options]`,
    "",
    spec.summary,
    "",
    spec.description,
    "",
    "Options:",
    ...rows.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`),
    "",
    "Examples:",
    ...spec.examples.map((example) => `  ${example}`),
    "",
  ].join("\n");
}

/** Reads a string option (the last one when repeated). */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  if (Array.isArray(value)) return value.at(-1);
  return typeof value === "string" ? value : undefined;
}

/** Reads a boolean flag. */
export function flag(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

/** Reads a whole-number option, refusing anything else with a UsageError. */
export function integerOption(values: OptionValues, name: string, command: string): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number, got "${text}"`, command);
  return Number(text);
}

/** Writes a value as JSON on stdout (two-space indent, trailing newline). */
export function writeJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Node words these for programmers ("Unknown option '--x'. To specify a positional argument…").
  const unknown = /^Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]}`;
  const missing = /^Option '(--[\w-]+)[^']*' argument missing/.exec(message);
  if (missing) return `option ${missing[1]} needs a value`;
  return message.split(". ")[0] ?? message;
}
