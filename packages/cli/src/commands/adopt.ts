import {
  type AdoptAccountResult,
  type AdoptedCopyAction,
  adoptAccount,
  adoptionCreator,
  type Config,
  copyAdoptedVersions,
  effectLabel,
  LifecycleTag,
  lifecycleTags,
  silentLog,
} from "@ami-lifecycle/core";
import { type CommandSpec, flag, type OptionSpec, stringOption, writeJson } from "../cli/command";
import { ExitCode, UsageError } from "../cli/errors";
import { configOption, dynamoEndpointOption, explainAwsFailure, jsonOption, openTarget } from "./common";
import { writingTargetOptions } from "./deployment-options";

const adoptOptions: Record<string, OptionSpec> = {
  family: { type: "string", value: "F", description: "adopt only this family (default: every family)" },
  "only-region": {
    type: "string",
    value: "REGION",
    description: "adopt only versions with an image in this region (lineage is still read everywhere)",
  },
  apply: { type: "boolean", description: "adopt (register, tag, notify); without it only the plan is shown" },
  copy: {
    type: "boolean",
    description:
      "also start the copies the family's copyTo is missing for the adopted versions (with --apply)",
  },
  output: { type: "string", value: "FORMAT", description: "`table` (default) or `json`" },
  ...writingTargetOptions,
  ...configOption,
  ...dynamoEndpointOption,
  ...jsonOption,
};

/** `adopt`: makes the images built before the service versions of their families. */
export const adoptCommand: CommandSpec = {
  name: "adopt",
  summary: "adopt existing images: each unmanaged image matching one family becomes a version of it",
  positionals: { min: 0, max: 0 },
  description: [
    "Lists every owned image in the managed regions that matches exactly one family's `match` and that the",
    "registry does not hold. Each becomes a version of its own, numbered after the family's highest and",
    "ranked by its CreationDate; copies in other regions (EC2's SourceImageId/SourceImageRegion) join",
    "their source's version. An image two families match is reported, never adopted. Plans by default;",
    "--apply tags each image and its snapshots, records the versions and sends one `adopted` summary per",
    "family. Starts no copies. Running it again changes nothing; after an interruption it resumes.",
  ].join("\n"),
  options: adoptOptions,
  examples: [
    "ami-lifecycle adopt --stage prod --profile ops",
    "ami-lifecycle adopt --family web --only-region eu-west-1 --apply --stage prod",
    "ami-lifecycle adopt --sandbox --output json",
  ],
  async run({ values }, io) {
    const output = stringOption(values, "output") ?? (flag(values, "json") ? "json" : "table");
    if (output !== "json" && output !== "table")
      throw new UsageError(`--output must be "table" or "json", got "${output}"`, "adopt");
    const family = stringOption(values, "family");
    const { service, region } = await openTarget(values, "adopt", io);
    try {
      if (family !== undefined && !service.config.families.some((candidate) => candidate.name === family))
        throw new UsageError(
          `--family ${family} is not a configured family (${service.config.families.map((f) => f.name).join(", ")})`,
          "adopt",
        );
      const deps = {
        config: service.config,
        registry: service.registry,
        images: service.images,
        clock: service.clock,
        // Without a topic (an account without --topic-arn) adoption still happens; nobody is told.
        notifier: service.notifier ?? { publish: async () => {} },
      };
      const result: AdoptAccountResult & { copies?: AdoptedCopyAction[] } = await adoptAccount(deps, {
        apply: flag(values, "apply"),
        ...(family ? { families: [family] } : {}),
        ...(region ? { region } : {}),
      });
      if (flag(values, "copy") && result.applied) {
        // The event path's copy code (its ports: CopyDependencies; it never asks for a sweep).
        result.copies = await copyAdoptedVersions({ ...deps, log: silentLog }, result.applied);
      }
      if (output === "json") writeJson(io, result);
      else io.out(renderAdoption(result, flag(values, "copy") ? service.config : undefined));
      return ExitCode.ok;
    } catch (error) {
      throw explainAwsFailure(error) ?? error;
    } finally {
      await service.close();
    }
  },
};

/** The plan (and what was applied) as text: per family, each version with its images per region and tags. */
export function renderAdoption(
  result: AdoptAccountResult & { copies?: AdoptedCopyAction[] },
  copyConfig?: Config,
): string {
  const lines: string[] = [];
  const verb = result.applied ? "adopted" : "would adopt";
  for (const family of result.plan.families) {
    lines.push(`${family.family}: ${verb} ${family.versions.length} new version(s)`);
    for (const version of family.versions) {
      const tags = lifecycleTags({
        family: family.family,
        version: version.expectedVersion,
        sourceImageId: version.source.imageId,
        sourceRegion: version.source.region,
        createdAt: version.source.creationDate,
        createdBy: adoptionCreator,
      });
      lines.push(
        `  v${version.expectedVersion}  ${version.source.name}  built ${version.source.creationDate}`,
      );
      for (const image of [version.source, ...version.copies])
        lines.push(`    ${image.region}  ${image.imageId}${image === version.source ? "" : " (copy)"}`);
      const shown = Object.entries(tags).map(([key, value]) => `${key}=${value}`);
      lines.push(`    tags: ${[...shown, `${LifecycleTag.adoptedAt}=<now>`].join(", ")}`);
      const copyTo = copyConfig?.families.find((candidate) => candidate.name === family.family)?.copyTo ?? [];
      const have = new Set([version.source, ...version.copies].map((image) => image.region));
      const missing = copyTo.map((destination) => destination.region).filter((r) => !have.has(r));
      if (copyConfig && missing.length > 0) lines.push(`    copies to start: ${missing.join(", ")}`);
    }
    for (const copy of family.joining)
      lines.push(`  v${copy.version}  + copy ${copy.image.region}  ${copy.image.imageId}`);
    for (const pending of family.pendingTagging)
      lines.push(
        `  v${pending.version}  tags still to write on ${pending.image.region} ${pending.image.imageId}`,
      );
    for (const skipped of family.skipped)
      lines.push(`  not adopted: ${skipped.region} ${skipped.imageId} (${skipped.name}): ${skipped.reason}`);
  }
  for (const conflict of result.plan.conflicts)
    lines.push(
      `not adopted: ${conflict.region} ${conflict.imageId} (${conflict.name}) matches ${conflict.families.join(" and ")}`,
    );
  for (const copy of result.copies ?? [])
    lines.push(`${copy.family} v${copy.version}: ${effectLabel(copy.effect)}`);
  if (lines.length === 0) lines.push("nothing to adopt: every matching image is already managed");
  else if (!result.applied) lines.push("", "dry run: nothing changed; add --apply to adopt");
  return `${lines.join("\n")}\n`;
}
