import type { CommandSpec } from "../cli/command";
export const replayCommand: CommandSpec = {
  name: "replay",
  summary: "replay events",
  positionals: { min: 0, max: 100 },
  description: "",
  options: {},
  examples: [],
  async run() {
    return 0;
  },
};
