// Installs SST's Pulumi providers offline when `.sst/platform` is missing, so `tsc` can type-check
// sst.config.ts and stacks/. The variables below keep the SST CLI from downloading Pulumi and bun
// (which fails without internet); they are undocumented, which is why `sst` is pinned exactly.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const platformTypes = ".sst/platform/config.d.ts";
if (existsSync(platformTypes)) process.exit(0);

console.log("ensure-sst-platform: installing SST providers with npm (first run only, ~1 min)…");
const result = spawnSync("npx", ["sst", "install", "--stage", "ci"], {
  stdio: "inherit",
  env: {
    ...process.env,
    SST_TELEMETRY_DISABLED: "1",
    SST_SKIP_DEPENDENCY_CHECK: "1",
    SST_NO_BUN: "1",
  },
});
if (result.status !== 0 || !existsSync(platformTypes)) {
  console.error(
    `ensure-sst-platform: 'sst install' failed (exit ${result.status}); ${platformTypes} is missing.`,
  );
  process.exit(1);
}
