// The report test renders the HTML report in headless Chromium. Debian's `chromium` package is used
// (no browser downloads); on a machine without it, install it with apt when running as root.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const chromium = "/usr/bin/chromium";
if (existsSync(chromium)) process.exit(0);

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (!isRoot) {
  console.error(
    `ensure-chromium: ${chromium} is missing. Install Debian's chromium: sudo apt-get install -y chromium`,
  );
  process.exit(1);
}
console.log("ensure-chromium: installing Debian's chromium for the report rendering test (first run only)…");
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [["update"], ["install", "-y", "--no-install-recommends", "chromium"]]) {
  const result = spawnSync("apt-get", args, { stdio: "inherit", env });
  if (result.status !== 0) {
    console.error(`ensure-chromium: apt-get ${args.join(" ")} failed (exit ${result.status}).`);
    process.exit(1);
  }
}
if (!existsSync(chromium)) {
  console.error(`ensure-chromium: apt-get finished but ${chromium} is still missing.`);
  process.exit(1);
}
