import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { CommandFailedError } from "../cli/errors";

/** One event read from a file (a file holds one event or an array of events). */
export interface LoadedEvent {
  file: string;
  /** position in the file's array (0 for a single event) */
  index: number;
  event: Record<string, unknown>;
}

/** Reads events from files and directories (every *.json of a directory, sorted by name). */
export function loadEvents(paths: readonly string[], cwd: string): LoadedEvent[] {
  const files = paths.flatMap((path) => expand(resolve(cwd, path)));
  return files.flatMap((file) => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new CommandFailedError(
        `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
        "check the path; pass event files or a directory of *.json files",
      );
    }
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new CommandFailedError(
        `${file} is not valid JSON: ${(error as Error).message}`,
        "each file must hold one EventBridge event or an array of them",
      );
    }
    const events = Array.isArray(document) ? document : [document];
    return events.map((event, index) => {
      if (typeof event !== "object" || event === null || Array.isArray(event)) {
        throw new CommandFailedError(
          `${basename(file)}${Array.isArray(document) ? `[${index}]` : ""} is not an event object`,
          "each file must hold one EventBridge event or an array of them",
        );
      }
      return { file, index, event: event as Record<string, unknown> };
    });
  });
}

function expand(path: string): string[] {
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(path);
  } catch {
    throw new CommandFailedError(`${path} does not exist`, "pass event files or a directory of *.json files");
  }
  if (!stats.isDirectory()) return [path];
  const files = readdirSync(path)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => join(path, name));
  if (files.length === 0)
    throw new CommandFailedError(`${path} has no *.json files`, "put one event per file, or an array");
  return files;
}

/** The event's time in epoch ms, or undefined when it has none (or an invalid one). */
export function eventTimeMs(event: Record<string, unknown>): number | undefined {
  const time = typeof event.time === "string" ? Date.parse(event.time) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}
