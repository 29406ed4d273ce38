/**
 * Bundle benchmark: builds every Lambda handler exactly as `sst deploy` does (SST's node runtime
 * esbuild options, with the handlers' `nodejs` settings from stacks/functions.ts) and compares each
 * with a floor: a bundle built the same way that only constructs the same AWS SDK clients. Reports
 * size and cold import time (a fresh Node process per import, median of 7, interleaved with the floor's),
 * and where the bytes beyond the SDK go (esbuild's metafile, per package).
 *
 * Last stdout line: {"bench":"bundle","functions":{…},"ratio":…,"import_ratio":…,"target":1.2,"import_target":1.25}
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type BuildOptions, build, type Metafile } from "esbuild";

/** Worst acceptable size of a handler relative to its floor. */
const target = 1.2;
/** Worst acceptable cold import time of a handler relative to its floor's. */
const importTarget = 1.25;
/** Fresh imports per bundle, alternating with the floor's so both see the same machine load. */
const importRuns = 7;
const root = resolve(import.meta.dirname, "..");

/** The SDK client class each package's floor constructs. */
const sdkClients: Record<string, string> = {
  "@aws-sdk/client-ec2": "EC2Client",
  "@aws-sdk/client-dynamodb": "DynamoDBClient",
  "@aws-sdk/client-sns": "SNSClient",
  "@aws-sdk/client-eventbridge": "EventBridgeClient",
  "@aws-sdk/client-kms": "KMSClient",
  "@aws-sdk/client-ssm": "SSMClient",
  "@aws-sdk/client-auto-scaling": "AutoScalingClient",
  "@aws-sdk/client-rbin": "RbinClient",
  "@aws-sdk/client-cloudwatch": "CloudWatchClient",
  "@aws-sdk/client-sqs": "SQSClient",
  // the sweep's cross-account evidence (issue #16)
  "@aws-sdk/client-organizations": "OrganizationsClient",
  // the sweep's assumed roles in consumer accounts (issue #16)
  "@aws-sdk/client-sts": "STSClient",
};

/**
 * SST 4's node runtime build (pkg/runtime/node/build.go) for `nodejs: { format: "esm", minify: true,
 * sourcemap: false }`: esnext target, keepNames, module-first main fields, the createRequire banner.
 */
function sstBuildOptions(entry: { file: string } | { contents: string }, outfile: string): BuildOptions {
  return {
    ...("file" in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.contents, resolveDir: root, sourcefile: "floor.ts", loader: "ts" } }),
    platform: "node",
    external: ["sharp", "pg-native"],
    keepNames: true,
    bundle: true,
    metafile: true,
    outfile,
    sourcemap: false,
    write: true,
    format: "esm",
    target: "esnext",
    mainFields: ["module", "main"],
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: true,
    banner: {
      js: [
        `import { createRequire as topLevelCreateRequire } from 'module';`,
        `const require = topLevelCreateRequire(import.meta.url);`,
        `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
        `const __filename = topLevelFileUrlToPath(import.meta.url)`,
        `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
        "",
      ].join("\n"),
    },
    logLevel: "silent",
  };
}

/**
 * The SDK client packages a bundle carries, read from esbuild's metafile: the inputs that put bytes in
 * the output (a package only reached through an unused, tree-shaken export is read but not carried).
 */
function sdkPackagesIn(outputs: Metafile["outputs"]): string[] {
  const found = new Set<string>();
  const carried = Object.values(outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
  for (const path of carried) {
    const match = /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\//.exec(path);
    if (match?.[1]) found.add(match[1]);
  }
  return [...found].sort();
}

/**
 * The SDK client packages the project's own carried code imports (the clients the handler itself
 * constructs), read from esbuild's metafile.
 */
function sdkPackagesImportedByProject(metafile: Metafile | undefined): Set<string> {
  const found = new Set<string>();
  if (!metafile) return found;
  const carried = new Set(
    Object.values(metafile.outputs).flatMap((output) =>
      Object.entries(output.inputs)
        .filter(([path, input]) => input.bytesInOutput > 0 && !path.includes("node_modules/"))
        .map(([path]) => path),
    ),
  );
  for (const path of carried) {
    for (const imported of metafile.inputs[path]?.imports ?? []) {
      const match = /^node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\//.exec(imported.path);
      if (match?.[1]) found.add(match[1]);
    }
  }
  return found;
}

/**
 * Clients a bundle may carry only inside another client's credential chain: the floor gets them the
 * same way, unless the handler constructs one itself (the sweep's STS client assumes consumer roles).
 */
const transitiveClients = new Set(["@aws-sdk/client-sso", "@aws-sdk/client-sso-oidc", "@aws-sdk/client-sts"]);

function floorSource(allPackages: string[], constructedByHandler: Set<string>): string {
  const packages = allPackages.filter((pkg) => !transitiveClients.has(pkg) || constructedByHandler.has(pkg));
  const lines = packages.map((pkg, index) => {
    const client = sdkClients[pkg];
    if (!client) throw new Error(`bench/bundle: no floor client known for ${pkg}; add it to sdkClients`);
    return `import { ${client} as Client${index} } from "${pkg}";`;
  });
  const constructed = packages.map((_, index) => `new Client${index}({})`).join(", ");
  return `${lines.join("\n")}\nconst clients = [${constructed}];\nexport const handler = async () => clients.length;\n`;
}

/** Wall time of importing a module in a fresh Node process. */
function importMs(file: string): number {
  const script = `const started = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - started);`;
  const env = {
    ...process.env,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
    REGISTRY_TABLE_NAME: "bench-registry",
    IDEMPOTENCY_TABLE_NAME: "bench-idempotency",
    NOTIFICATIONS_TOPIC_ARN: "arn:aws:sns:us-east-1:111122223333:bench",
    POWERTOOLS_SERVICE_NAME: "ami-lifecycle",
    POWERTOOLS_METRICS_NAMESPACE: "AmiLifecycle",
    POWERTOOLS_LOG_LEVEL: "ERROR",
  };
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { env, encoding: "utf8" });
  if (child.status !== 0) throw new Error(`importing ${file} failed:\n${child.stderr}`);
  return Number(child.stdout.trim().split("\n").at(-1));
}

/** Medians of `importRuns` fresh imports of a bundle and of its floor, interleaved run by run. */
function medianImportsMs(bundle: string, floor: string): { bundle: number; floor: number } {
  const bundleSamples: number[] = [];
  const floorSamples: number[] = [];
  for (let run = 0; run < importRuns; run++) {
    bundleSamples.push(importMs(bundle));
    floorSamples.push(importMs(floor));
  }
  return { bundle: median(bundleSamples), floor: median(floorSamples) };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Output bytes per package (or our own code), from esbuild's metafile: where a bundle's size goes. */
function bytesByPackage(outputs: Metafile["outputs"]): [string, number][] {
  const byPackage = new Map<string, number>();
  for (const output of Object.values(outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
      const owner = match?.[1] ?? "(project)";
      byPackage.set(owner, (byPackage.get(owner) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage].sort((a, b) => b[1] - a[1]);
}

async function main() {
  const out = mkdtempSync(join(tmpdir(), "bench-bundle-"));
  try {
    const handlers = readdirSync(join(root, "functions"))
      // index.ts is the workspace entry the CLI imports the handler factories through, not a Lambda.
      .filter((file) => /\.(ts|mts)$/.test(file) && !file.endsWith(".d.ts") && file !== "index.ts")
      .map((file) => file.replace(/\.m?ts$/, ""))
      .sort();
    const functions: Record<
      string,
      { bytes: number; floor_bytes: number; import_ms: number; floor_import_ms: number }
    > = {};
    for (const name of handlers) {
      const bundle = join(out, name, `${name}.mjs`);
      const result = await build(sstBuildOptions({ file: join(root, "functions", `${name}.ts`) }, bundle));
      const packages = sdkPackagesIn(result.metafile?.outputs ?? {});
      const floor = join(out, name, "floor.mjs");
      const constructed = sdkPackagesImportedByProject(result.metafile);
      const floorResult = await build(
        sstBuildOptions({ contents: floorSource(packages, constructed) }, floor),
      );
      const imports = medianImportsMs(bundle, floor);
      functions[name] = {
        bytes: statSync(bundle).size,
        floor_bytes: statSync(floor).size,
        import_ms: Math.round(imports.bundle * 10) / 10,
        floor_import_ms: Math.round(imports.floor * 10) / 10,
      };
      console.log(`${name}: clients ${packages.join(", ") || "(none)"}`, functions[name]);
      const floorBytes = new Map(bytesByPackage(floorResult.metafile?.outputs ?? {}));
      const heaviest = bytesByPackage(result.metafile?.outputs ?? {})
        .map(([owner, bytes]): [string, number] => [owner, bytes - (floorBytes.get(owner) ?? 0)])
        .filter(([, extra]) => extra > 512)
        .sort((a, b) => b[1] - a[1])
        .map(([owner, extra]) => `${owner} ${(extra / 1024).toFixed(1)} KB`);
      console.log(`  beyond the floor: ${heaviest.join(", ")}`);
    }
    const entries = Object.values(functions);
    const ratio = Math.max(...entries.map((entry) => entry.bytes / entry.floor_bytes));
    const importRatio = Math.max(...entries.map((entry) => entry.import_ms / entry.floor_import_ms));
    console.log(
      JSON.stringify({
        bench: "bundle",
        functions,
        ratio: Math.round(ratio * 1000) / 1000,
        import_ratio: Math.round(importRatio * 1000) / 1000,
        target,
        import_target: importTarget,
      }),
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

await main();
