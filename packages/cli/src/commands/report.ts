import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { CommandSpec } from "../cli/command";
import type { CliIo } from "../cli/io";
import type { SandboxRun } from "../sandbox/run-sandbox";

export const reportCommand: CommandSpec = {
  name: "report",
  summary: "write a self-contained HTML report",
  positionals: { min: 0, max: 0 },
  description: "",
  options: {},
  examples: [],
  async run() {
    return 0;
  },
};

export async function writeReportFile(run: SandboxRun, path: string, io: CliIo): Promise<void> {
  void run;
  writeFileSync(resolve(io.cwd, path), "");
}
