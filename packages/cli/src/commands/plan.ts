import { type CommandSpec, stringOption, writeJson } from "../cli/command";
import { CommandFailedError, ExitCode, UsageError } from "../cli/errors";
import { progress } from "../cli/io";
import { planAccount } from "../planning/account-plan";
import {
  type ConsumerPlanDocument,
  consumerPlanDocument,
  isAccountId,
  renderConsumerPlanTable,
} from "../planning/consumer-plan";
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
    "or the sandbox (--sandbox). With the `organization` slice, the consumer accounts' evidence as the",
    "sweep gathers it (read only: no usage report created, nobody told). With --consumer ACCOUNT: only what",
    "of that consumer account holds back a shared version due to retire, and the dates of its steps.",
  ].join("\n"),
  options: {
    ...targetOptions,
    ...jsonOption,
    consumer: {
      type: "string",
      value: "ACCOUNT",
      description: "show one consumer account (12 digits) what of theirs is scheduled to go",
    },
  },
  examples: [
    "ami-lifecycle plan --stage prod --profile ops",
    "ami-lifecycle plan --sandbox --only-region eu-west-1",
    "ami-lifecycle plan --sandbox --json",
  ],
  async run({ values }, io) {
    const consumer = stringOption(values, "consumer");
    // Checked before anything is opened: a wrong id starts no sandbox and reads no account.
    if (consumer !== undefined && !isAccountId(consumer)) {
      throw new UsageError(`--consumer must be a 12-digit AWS account id, got "${consumer}"`, "plan");
    }
    const { service, region } = await openTarget(values, "plan", io);
    try {
      if (consumer !== undefined) {
        const document = await consumerPlanTarget(service, consumer, (message) => progress(io, message));
        if (wantsJson(values, "plan")) writeJson(io, document);
        else io.out(renderConsumerPlanTable(document));
        return ExitCode.ok;
      }
      const document = await planTarget(service, (message) => progress(io, message));
      const shown = region ? onlyRegion(document, region) : document;
      if (wantsJson(values, "plan")) writeJson(io, shown);
      else io.out(renderPlanTable(shown, io));
      return ExitCode.ok;
    } catch (error) {
      throw explainAwsFailure(error) ?? error;
    } finally {
      await service.close();
    }
  },
};

/** Plans every family of the service at its clock's current instant. */
export async function planTarget(
  service: ServiceTarget,
  onProgress?: (message: string) => void,
): Promise<PlanDocument> {
  const now = service.clock.now();
  const plan = await planAccount({
    config: service.config,
    registry: service.registry,
    images: service.images,
    now,
    ...(service.organization ? { organization: service.organization } : {}),
    ...(onProgress ? { onProgress } : {}),
  });
  return planDocument(plan, { config: service.config, plannedAt: now, source: service.kind });
}

/**
 * One consumer account's part of the plan: the sweep's planning with the consumer accounts' evidence,
 * narrowed to what of that account holds back a version due to retire.
 */
export async function consumerPlanTarget(
  service: ServiceTarget,
  consumerAccount: string,
  onProgress?: (message: string) => void,
): Promise<ConsumerPlanDocument> {
  if (!service.config.organization || !service.organization) {
    throw new CommandFailedError(
      `--consumer needs the consumer accounts' evidence, and ${service.label} has none`,
      "configure the `organization` slice (docs/organization.md) and deploy the consumer role",
    );
  }
  const now = service.clock.now();
  const plan = await planAccount({
    config: service.config,
    registry: service.registry,
    images: service.images,
    now,
    organization: service.organization,
    ...(onProgress ? { onProgress } : {}),
  });
  return consumerPlanDocument(plan, consumerAccount, {
    config: service.config,
    plannedAt: now,
    source: service.kind,
  });
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
