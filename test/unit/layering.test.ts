import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { layeringViolations, productionSources } from "../support/layering";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("layering", () => {
  it("holds for the production code: core stays free of AWS, packages meet only at their entries", () => {
    expect(layeringViolations(productionSources(root))).toEqual([]);
  });

  it("catches core importing the SDK or packages/aws, or reading process.env", () => {
    const file = "packages/core/src/copies/bad.ts";
    const text = [
      'import { EC2Client } from "@aws-sdk/client-ec2";',
      'import { createClients } from "@ami-lifecycle/aws";',
      'import { table } from "../../../aws/src/registry/table";',
      "// process.env in a comment is fine",
      "export const region = process.env.AWS_REGION;",
    ].join("\n");

    const rules = layeringViolations([{ file, text }]).map((violation) => violation.specifier);

    expect(rules).toEqual([
      "@aws-sdk/client-ec2",
      "@ami-lifecycle/aws",
      "../../../aws/src/registry/table",
      "../../../aws/src/registry/table",
      "process.env",
    ]);
  });

  it("catches a capability importing the sweep or the reactions that run it", () => {
    const sources = [
      { file: "packages/core/src/copies/a.ts", text: 'import { failureOf } from "../sweep/report";' },
      {
        file: "packages/core/src/tags/b.ts",
        text: 'import type { ReactionDependencies } from "../reactions";',
      },
      { file: "packages/core/src/guard/c.ts", text: 'import { failureOf } from "../sweep-results";' },
      { file: "packages/core/src/sweep/d.ts", text: 'import { startCopies } from "../copies/start-copies";' },
      { file: "packages/core/src/reactions/e.ts", text: 'import { runSweep } from "../sweep/run-sweep";' },
      { file: "packages/core/src/index.ts", text: 'export * from "./sweep/index";' },
    ];

    const found = layeringViolations(sources).map(({ file, rule }) => `${file}: ${rule}`);

    expect(found).toEqual([
      "packages/core/src/copies/a.ts: a capability must not import the sweep or the reactions (they import it)",
      "packages/core/src/tags/b.ts: a capability must not import the sweep or the reactions (they import it)",
    ]);
  });

  it("catches a package reaching into another package's private files or outside its folder", () => {
    const sources = [
      { file: "packages/cli/src/a.ts", text: 'import { x } from "../../core/src/copies/start-copies";' },
      { file: "packages/cli/src/b.ts", text: 'import { x } from "@ami-lifecycle/core/src/tags";' },
      { file: "packages/cli/src/c.ts", text: 'import { x } from "../../../functions/rollback";' },
      { file: "functions/d.ts", text: 'import { x } from "../packages/core/src/index";' },
      { file: "packages/cli/src/e.ts", text: 'import { x } from "@ami-lifecycle/core";\nimport "./f";' },
    ];

    const found = layeringViolations(sources).map(({ file, rule }) => `${file}: ${rule}`);

    expect(found).toEqual([
      "packages/cli/src/a.ts: a package must not import another package's private files",
      "packages/cli/src/b.ts: import a package through its entry, not its files",
      "packages/cli/src/c.ts: a package must not import another package's private files",
      "functions/d.ts: import another package by its name, not a relative path",
    ]);
  });
});
