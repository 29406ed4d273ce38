/**
 * Evaluates the real sst.config.ts for one stage the way the SST 4 CLI does for `sst deploy`, with
 * Pulumi's mocks in place of the engine and a loopback stand-in for the CLI's RPC server, and writes
 * the resulting resource graph as JSON. Runs in its own process (like Pulumi's language host).
 *
 * Mirrors the CLI (pkg/project/run.go, pkg/js/js.go in SST): esbuild bundles an `eval.ts` that runs
 * `run(mod.run)` from `.sst/platform/src/auto/run.ts`, with `$app`/`$cli`/`$dev` defined,
 * `.sst/platform/src/shim/run.js` injected, the provider globals (`aws`, `sst`) prepended to every
 * source outside `.sst`, and Pulumi packages left external (resolved from `.sst/platform/node_modules`).
 * Depends on SST internals: re-check on every `sst` upgrade.
 *
 * Usage: tsx evaluate-sst-graph.ts <appRoot> <stage> <outJson>
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { type BuildOptions, build, type Plugin } from "esbuild";
import type { GraphBuild, GraphCall, GraphResource, SstGraph } from "./graph-types";
import { mockAccount } from "./graph-types";

const [root, stage, outJson] = process.argv.slice(2);
if (!root || !stage || !outJson) {
  console.error("usage: evaluate-sst-graph <appRoot> <stage> <outJson>");
  process.exit(2);
}
const workDir = join(root, ".sst");
const platformDir = join(workDir, "platform");
const scratch = mkdtempSync(join(tmpdir(), "sst-graph-"));
const unique = `${stage}.${process.pid}.${Date.now()}`;

// The CLI's banner: ESM bundles that still use require/__dirname (Pulumi, SST components).
const banner = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __filename = topLevelFileUrlToPath(import.meta.url)`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
].join("\n");

function cliBuildOptions(code: string, outfile: string): BuildOptions {
  return {
    banner: { js: banner },
    mainFields: ["module", "main"],
    format: "esm",
    platform: "node",
    stdin: { contents: code, resolveDir: root, sourcefile: "eval.ts", loader: "ts" },
    nodePaths: [join(platformDir, "node_modules")],
    external: [
      "@pulumi/*",
      "undici",
      "@pulumiverse/*",
      "@sst-provider/*",
      "@aws-sdk/*",
      "esbuild",
      "archiver",
      "glob",
      "vite",
    ],
    outfile,
    write: true,
    bundle: true,
    metafile: true,
    logLevel: "silent",
  };
}

/** The CLI's InjectGlobals plugin: provider namespaces imported into every source outside `.sst`. */
function injectGlobals(globals: string): Plugin {
  return {
    name: "InjectGlobals",
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /\.(js|ts|jsx|tsx)$/ }, (args) => {
        const contents = readFileSync(args.path, "utf8");
        return {
          contents: args.path.includes(".sst") ? contents : `${globals}\n${contents}`,
          loader: "default",
        };
      });
    },
  };
}

async function evaluateApp(): Promise<Record<string, unknown>> {
  // app() runs before providers exist; `$config` is the identity, as in .sst/platform/src/config.ts.
  const shim = join(scratch, "config-shim.js");
  writeFileSync(shim, "export const $config = (input) => input;\n");
  const outfile = join(platformDir, `sst.app.${unique}.mjs`);
  await build({
    ...cliBuildOptions(`import mod from '${root}/sst.config.ts';\nexport default mod;\n`, outfile),
    inject: [shim],
  });
  try {
    const module = await import(pathToFileURL(outfile).href);
    const app = await module.default.app({ stage });
    const providers = { ...(app.providers ?? {}) };
    if (app.home && providers[app.home] === undefined) providers[app.home] = {};
    return {
      name: app.name,
      stage,
      removal: app.removal ?? "retain",
      protect: Boolean(app.protect),
      home: app.home,
      providers,
    };
  } finally {
    rmSync(outfile, { force: true });
  }
}

/** Stand-in for the CLI's RPC server: AWS bootstrap data and function builds. */
function startRpcServer(builds: GraphBuild[], bootstrapRegions: string[]): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const { method, params } = JSON.parse(body) as { method: string; params: [Record<string, unknown>] };
      const args = params[0];
      let reply: { result?: unknown; error?: string };
      try {
        reply = { result: answerRpc(method, args, builds, bootstrapRegions) };
      } catch (error) {
        reply = { error: error instanceof Error ? error.message : String(error) };
      }
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify(reply));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function answerRpc(
  method: string,
  args: Record<string, unknown>,
  builds: GraphBuild[],
  bootstrapRegions: string[],
): unknown {
  switch (method) {
    case "Provider.Aws.Bootstrap": {
      const region = String(args.region);
      bootstrapRegions.push(region);
      return {
        asset: `sst-asset-${region}`,
        assetEcrRegistryId: mockAccount.accountId,
        assetEcrUrl: `${mockAccount.accountId}.dkr.ecr.${region}.amazonaws.com/sst-asset`,
        state: `sst-state-${region}`,
        appsyncHttp: "",
        appsyncRealtime: "",
      };
    }
    case "Runtime.Build": {
      // Like the CLI's node runtime: find the handler's source file, emit `<file>.mjs` in an out dir.
      const handler = String(args.handler);
      const source = ["ts", "mts", "js", "mjs"]
        .map((ext) => join(root as string, `${handler.slice(0, handler.lastIndexOf("."))}.${ext}`))
        .find((file) => existsSync(file));
      if (!source) return { handler: "", out: "", errors: [`Handler not found: ${handler}`], sourcemaps: [] };
      const fileName = basename(source).replace(/\.[^.]+$/, "");
      const out = join(scratch, "builds", String(args.functionID));
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, `${fileName}.mjs`), "export const handler = async () => undefined;\n");
      builds.push({
        functionID: String(args.functionID),
        handler,
        runtime: String(args.runtime),
        properties: (args.properties ?? {}) as Record<string, unknown>,
      });
      return {
        handler: `${fileName}${handler.slice(handler.lastIndexOf("."))}`,
        out,
        errors: [],
        sourcemaps: [],
      };
    }
    case "Runtime.AddTarget":
      return null;
    default:
      return { error: `rpc: can't find method ${method}` };
  }
}

async function main() {
  const app = await evaluateApp();
  const homeRegion = String((app.providers as Record<string, { region?: string }>).aws?.region ?? "");
  if (!homeRegion) throw new Error("sst.config.ts app() sets no aws provider region");

  const builds: GraphBuild[] = [];
  const bootstrapRegions: string[] = [];
  const server = await startRpcServer(builds, bootstrapRegions);
  process.env.SST_SERVER = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The CLI passes provider settings as Pulumi config (`--config aws:region=…`).
  process.env.PULUMI_CONFIG = JSON.stringify({ "aws:region": homeRegion });

  const cli = {
    command: "deploy",
    dev: false,
    paths: { home: scratch, root, work: join(scratch, "work"), platform: platformDir },
    state: { version: {} },
  };
  const lock = JSON.parse(readFileSync(join(workDir, "provider-lock.json"), "utf8")) as {
    alias: string;
    package: string;
  }[];
  const globals = [
    ...lock.map((entry) => `import * as ${entry.alias} from "${entry.package}";`),
    `import * as sst from "${join(platformDir, "src/components")}";`,
  ].join("\n");
  const programFile = join(platformDir, `sst.config.${unique}.mjs`);
  await build({
    ...cliBuildOptions(
      [
        `import { run } from "${join(workDir, "platform/src/auto/run.ts")}";`,
        `import mod from '${join(root as string, "sst.config.ts")}';`,
        "const result = await run(mod.run);",
        "export default result;",
      ].join("\n"),
      programFile,
    ),
    define: { $app: JSON.stringify(app), $cli: JSON.stringify(cli), $dev: "false" },
    inject: [join(workDir, "platform/src/shim/run.js")],
    plugins: [injectGlobals(globals)],
  });

  // The same @pulumi/pulumi instance the bundle imports (resolved from .sst/platform/node_modules).
  const pulumi = createRequire(join(platformDir, "package.json"))("@pulumi/pulumi");
  const resources: GraphResource[] = [];
  const calls: GraphCall[] = [];
  const providerRegions = new Map<string, string>();
  const resourceOptions = new Map<string, { retainOnDelete?: boolean }>();
  const regionOf = (provider: string | undefined) =>
    (provider && providerRegions.get(provider.slice(provider.lastIndexOf("::") + 2))) || homeRegion;

  await pulumi.runtime.setMocks(
    {
      newResource(args: {
        type: string;
        name: string;
        inputs: Record<string, unknown>;
        provider?: string;
        custom?: boolean;
        id?: string;
      }) {
        const id = args.id || `${args.name}-id`;
        if (args.type === "pulumi:providers:aws") providerRegions.set(id, String(args.inputs.region));
        const region =
          args.type === "pulumi:providers:aws" ? String(args.inputs.region) : regionOf(args.provider);
        resources.push({
          type: args.type,
          name: args.name,
          region,
          inputs: args.inputs,
          custom: Boolean(args.custom),
          ...(args.id ? { readId: args.id } : {}),
        });
        return {
          id,
          state: { ...args.inputs, ...computedState(args.type, args.name, id, region, args.inputs) },
        };
      },
      call(args: { token: string; inputs: Record<string, unknown>; provider?: string }) {
        const region = regionOf(args.provider);
        calls.push({ token: args.token, region, inputs: args.inputs });
        return answerCall(args.token, region, args.inputs);
      },
    },
    String(app.name),
    stage,
    false,
  );

  let outputs: Record<string, unknown> = {};
  try {
    outputs =
      (await pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((args: { type: string; name: string; opts: object }) => {
          // Kept by reference: later transformations (SST's `removal: retain`) mutate the same object.
          resourceOptions.set(`${args.type}::${args.name}`, args.opts);
          return undefined;
        });
        const program = await import(pathToFileURL(programFile).href);
        return program.default;
      })) ?? {};
    await pulumi.runtime.disconnect();
  } finally {
    server.close();
    rmSync(programFile, { force: true });
    rmSync(scratch, { recursive: true, force: true });
  }

  for (const resource of resources) {
    const retain = resourceOptions.get(`${resource.type}::${resource.name}`)?.retainOnDelete;
    if (retain !== undefined) resource.retainOnDelete = retain;
  }
  const graph: SstGraph = { stage, app, resources, calls, builds, bootstrapRegions, outputs };
  mkdirSync(dirname(outJson as string), { recursive: true });
  writeFileSync(outJson as string, JSON.stringify(graph));
}

/** Outputs AWS would compute (ARNs, names, ids), in the shapes AWS uses, for the mocked account. */
function computedState(
  type: string,
  name: string,
  id: string,
  region: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const { accountId, partition } = mockAccount;
  const physical = typeof inputs.name === "string" ? inputs.name : `${name}-physical`;
  switch (type) {
    case "aws:dynamodb/table:Table":
      return { name: physical, arn: `arn:${partition}:dynamodb:${region}:${accountId}:table/${physical}` };
    case "aws:sqs/queue:Queue":
      return {
        name: physical,
        arn: `arn:${partition}:sqs:${region}:${accountId}:${physical}`,
        url: `https://sqs.${region}.amazonaws.com/${accountId}/${physical}`,
      };
    case "aws:sns/topic:Topic":
      return { name: physical, arn: `arn:${partition}:sns:${region}:${accountId}:${physical}` };
    case "aws:kms/key:Key":
      return { keyId: `key-${name}`, arn: `arn:${partition}:kms:${region}:${accountId}:key/key-${name}` };
    case "aws:iam/role:Role": {
      const roleName = id.endsWith("-id") ? physical : id;
      return { name: roleName, arn: `arn:${partition}:iam::${accountId}:role/${roleName}` };
    }
    case "aws:lambda/function:Function":
      return { name: physical, arn: `arn:${partition}:lambda:${region}:${accountId}:function:${physical}` };
    case "aws:cloudwatch/eventRule:EventRule":
      return { name: physical, arn: `arn:${partition}:events:${region}:${accountId}:rule/${physical}` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { arn: `arn:${partition}:logs:${region}:${accountId}:log-group:${physical}` };
    case "random:index/randomBytes:RandomBytes":
      return { base64: Buffer.from("mock-key").toString("base64"), hex: "6d6f636b" };
    default:
      return { name: physical, arn: `arn:${partition}:mock:${region}:${accountId}:${type}/${name}` };
  }
}

function answerCall(token: string, region: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const { accountId, partition } = mockAccount;
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId,
        arn: `arn:${partition}:iam::${accountId}:user/deployer`,
        userId: "AIDMOCK",
        id: accountId,
      };
    case "aws:index/getPartition:getPartition":
      return { partition, dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: partition };
    case "aws:index/getRegion:getRegion":
      return {
        name: region,
        region,
        id: region,
        endpoint: `ec2.${region}.amazonaws.com`,
        description: region,
      };
    case "aws:kms/getAlias:getAlias":
      return {
        name: inputs.name,
        arn: `arn:${partition}:kms:${region}:${accountId}:${inputs.name}`,
        targetKeyId: `existing-${String(inputs.name).replace("alias/", "")}`,
        targetKeyArn: `arn:${partition}:kms:${region}:${accountId}:key/existing-${String(inputs.name).replace("alias/", "")}`,
        id: `arn:${partition}:kms:${region}:${accountId}:${inputs.name}`,
      };
    case "aws:iam/getPolicyDocument:getPolicyDocument":
      return { json: JSON.stringify(renderPolicyDocument(inputs)) };
    default:
      throw new Error(`no mock for provider function ${token}`);
  }
}

/** What the AWS provider's getPolicyDocument renders, for the statement fields SST uses. */
function renderPolicyDocument(inputs: Record<string, unknown>): Record<string, unknown> {
  const statements = (inputs.statements ?? []) as {
    effect?: string;
    actions?: string[];
    resources?: string[];
    principals?: { type: string; identifiers: string[] }[];
    conditions?: { test: string; variable: string; values: string[] }[];
  }[];
  return {
    Version: "2012-10-17",
    Statement: statements.map((statement) => ({
      Effect: statement.effect ?? "Allow",
      Action: statement.actions,
      ...(statement.resources ? { Resource: statement.resources } : {}),
      ...(statement.principals
        ? {
            Principal: Object.fromEntries(
              statement.principals.map((principal) => [principal.type, principal.identifiers]),
            ),
          }
        : {}),
      ...(statement.conditions
        ? {
            Condition: statement.conditions.reduce<Record<string, Record<string, string[]>>>(
              (block, condition) => {
                block[condition.test] = { ...block[condition.test], [condition.variable]: condition.values };
                return block;
              },
              {},
            ),
          }
        : {}),
    })),
  };
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
