import { type CommandSpec, writeJson } from "../cli/command";
import { ExitCode } from "../cli/errors";
import { progress } from "../cli/io";
import { planAccount } from "../planning/account-plan";
import { type PlanDocument, planDocument } from "../planning/plan-document";
import { renderPlanTable } from "../planning/plan-table";
import type { ServiceTarget } from "../targets/service-target";
import { explainAwsFailure, jsonOption, openTarget, targetOptions } from "./common";
import { wantsJson } from "./output";

/** `plan`: the retention plan, read-only. */
export const planCommand: CommandSpec = {
  name: "plan",
  summary: "show the retention plan: each version's decision and reason, the snapshot GiB it would free",
  positionals: { min: 0, max: 0 },
  description: [
    "Reads the registry and EC2 (images, what uses them, snapshots) and runs the same retention planner",
    "as the sweep, without changing anything. Per family and region: keep / deprecate / disable /",
    "deregister with the rules that decided it. Against a deployed service (standard AWS credential chain)",
    "or the sandbox (--sandbox).",
  ].join("\n"),
  options: { ...targetOptions, ...jsonOption },
  examples: [
    "ami-lifecycle plan --stage prod --profile ops",
    "ami-lifecycle plan --sandbox --only-region eu-west-1",
    "ami-lifecycle plan --sandbox --json",
  ],
  async run({ values }, io) {
    const { view, region } = await openTarget(values, "plan", io);
    try {
      const document = await planTarget(view, (message) => progress(io, message));
      const shown = region ? onlyRegion(document, region) : document;
      if (wantsJson(values, "plan")) writeJson(io, shown);
      else io.out(renderPlanTable(shown, io));
      return ExitCode.ok;
    } catch (error) {
      throw explainAwsFailure(error) ?? error;
    } finally {
      await view.close();
    }
  },
};

/** Plans every family of the view at its clock's current instant. */
export async function planTarget(
  view: ServiceTarget,
  onProgress?: (message: string) => void,
): Promise<PlanDocument> {
  const now = view.clock.now();
  const plan = await planAccount({
    config: view.config,
    registry: view.registry,
    images: view.images,
    now,
    ...(onProgress ? { onProgress } : {}),
  });
  return planDocument(plan, { config: view.config, plannedAt: now, source: view.kind });
}

function onlyRegion(document: PlanDocument, region: string): PlanDocument {
  return {
    ...document,
    families: document.families.map((family) => ({
      ...family,
      regions: family.regions.filter((candidate) => candidate.region === region),
    })),
  };
}
