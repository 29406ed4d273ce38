import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A file whose read stays pending until `answer` is called. */
export interface SlowFile {
  path: string;
  /** writes the contents: the pending read completes */
  answer(): Promise<void>;
  remove(): void;
}

/**
 * A named pipe: reading it is a file-system request that stays pending until `answer` writes it, a
 * stand-in for a slow disk (or a starved thread pool on a loaded machine) made deterministic.
 */
export function slowFile(contents: string): SlowFile {
  const dir = mkdtempSync(join(tmpdir(), "slow-file-"));
  const path = join(dir, "file");
  execFileSync("mkfifo", [path]);
  return {
    path,
    answer: () => writeFile(path, contents),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Points the SDK's shared config file (AWS_CONFIG_FILE) at `path`; returns what puts it back. */
export function useSharedConfigFile(path: string): () => void {
  const before = process.env.AWS_CONFIG_FILE;
  process.env.AWS_CONFIG_FILE = path;
  return () => {
    if (before === undefined) delete process.env.AWS_CONFIG_FILE;
    else process.env.AWS_CONFIG_FILE = before;
  };
}
