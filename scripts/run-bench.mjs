// `npm run bench -- <name>` runs bench/<name>.ts; each benchmark prints one JSON object as its last line.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

const name = process.argv[2];
const available = readdirSync("bench")
  .filter((file) => file.endsWith(".ts") && !file.startsWith("_"))
  .map((file) => file.replace(/\.ts$/, ""));
if (!name || !existsSync(`bench/${name}.ts`)) {
  console.error(`usage: npm run bench -- <name>\navailable: ${available.join(", ")}`);
  process.exit(2);
}
const result = spawnSync("npx", ["tsx", `bench/${name}.ts`, ...process.argv.slice(3)], { stdio: "inherit" });
process.exit(result.status ?? 1);
