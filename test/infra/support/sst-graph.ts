import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { GraphResource, SstGraph } from "./graph-types";

/** The repository root (the SST app root). */
export const appRoot = resolve(import.meta.dirname, "../../..");

/**
 * Evaluates sst.config.ts for a stage in a separate Node process (as the CLI's Pulumi language host
 * would) and returns the resource graph it registered.
 */
export async function evaluateSstGraph(stage: string): Promise<SstGraph> {
  const scratch = mkdtempSync(join(tmpdir(), "sst-graph-out-"));
  const outJson = join(scratch, "graph.json");
  try {
    const stderr = await new Promise<string>((done, fail) => {
      const child = spawn(
        process.execPath,
        ["--import", "tsx", join(import.meta.dirname, "evaluate-sst-graph.ts"), appRoot, stage, outJson],
        { cwd: appRoot, stdio: ["ignore", "ignore", "pipe"] },
      );
      let errors = "";
      child.stderr.on("data", (chunk) => {
        errors += chunk;
      });
      child.on("error", fail);
      child.on("close", (code) =>
        code === 0 ? done(errors) : fail(new Error(`evaluating sst.config.ts (${stage}) failed:\n${errors}`)),
      );
    });
    void stderr;
    return JSON.parse(readFileSync(outJson, "utf8")) as SstGraph;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Resources of one type (optionally in one region). */
export function resourcesOfType(graph: SstGraph, type: string, region?: string): GraphResource[] {
  return graph.resources.filter(
    (resource) => resource.type === type && (!region || resource.region === region),
  );
}

/** The one resource with this type and logical name; fails loudly when absent. */
export function resourceNamed(graph: SstGraph, type: string, name: string): GraphResource {
  const found = graph.resources.find((resource) => resource.type === type && resource.name === name);
  if (!found) throw new Error(`no ${type} named ${name} in the graph`);
  return found;
}

/** An IAM policy statement in JSON form. */
export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** Where a policy document was found, and its statements. */
export interface FoundPolicy {
  owner: string;
  kind: "identity" | "key" | "queue" | "trust";
  statements: PolicyStatement[];
}

/** Every IAM policy document in the graph: role inline policies, role policies, key and queue policies, trust policies. */
export function allPolicies(graph: SstGraph): FoundPolicy[] {
  const policies: FoundPolicy[] = [];
  const parse = (text: unknown) => JSON.parse(String(text)) as { Statement: PolicyStatement[] };
  for (const resource of graph.resources) {
    const { inputs } = resource;
    if (resource.type === "aws:iam/rolePolicy:RolePolicy") {
      policies.push({ owner: resource.name, kind: "identity", statements: parse(inputs.policy).Statement });
    }
    if (resource.type === "aws:iam/role:Role" && !resource.readId) {
      policies.push({
        owner: resource.name,
        kind: "trust",
        statements: parse(inputs.assumeRolePolicy).Statement,
      });
      for (const inline of (inputs.inlinePolicies ?? []) as { name: string; policy: string }[]) {
        policies.push({
          owner: `${resource.name}/${inline.name}`,
          kind: "identity",
          statements: parse(inline.policy).Statement,
        });
      }
    }
    if (resource.type === "aws:kms/key:Key") {
      policies.push({ owner: resource.name, kind: "key", statements: parse(inputs.policy).Statement });
    }
    if (resource.type === "aws:sqs/queuePolicy:QueuePolicy") {
      policies.push({ owner: resource.name, kind: "queue", statements: parse(inputs.policy).Statement });
    }
  }
  return policies;
}

/** A policy field that may be one string or a list, as a list. */
export function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
