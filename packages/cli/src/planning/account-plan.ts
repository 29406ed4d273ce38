import {
  type Config,
  CrossAccountEvidence,
  type CrossAccountPorts,
  type FamilyPlan,
  type ImageEvidence,
  type ImageService,
  planFamilies,
  readAccountView,
  type SweepFailure,
  type UnreachableConsumer,
  type VersionRecord,
  type VersionRegistry,
} from "@ami-lifecycle/core";

/** What planning reads: the config, the registry and EC2, at one instant. */
export interface AccountPlanInput {
  config: Config;
  registry: VersionRegistry;
  images: ImageService;
  now: Date;
  /** the consumer accounts' evidence, as the sweep gathers it (`organization` configured); absent: owner only */
  organization?: CrossAccountPorts;
  /** called before each step, for progress on stderr */
  onProgress?: (message: string) => void;
}

/** The sweep's plan of every family, and what it could not read. */
export interface AccountPlan {
  plans: FamilyPlan[];
  /** versions (`family/version`) with a step whose references could not be looked up: the sweep would not act on them */
  blocked: string[];
  /** regions whose references came from the fallback (no DescribeImageReferences there) */
  referenceFallbackRegions: string[];
  failures: SweepFailure[];
  /** the registry's versions of each planned family, as read for the plan (restorability is read from them) */
  versions: Record<string, VersionRecord[]>;
  /** what the consumer accounts showed, per image (`evidenceKey`), when their evidence was gathered */
  consumerEvidence?: ReadonlyMap<string, ImageEvidence>;
  /** consumer accounts (or organizations / OUs) that could not be checked */
  unreachableConsumers?: UnreachableConsumer[];
}

/**
 * The retention plan the sweep would make now, read-only: the sweep's own reading of EC2 (every owned
 * image and managed snapshot per region) and its planning (references looked up for the images it would
 * act on), without the sweep's repairs, actions or notifications.
 */
export async function planAccount(input: AccountPlanInput): Promise<AccountPlan> {
  const failures: SweepFailure[] = [];
  input.onProgress?.(`reading images and snapshots in ${input.config.regions.join(", ")}`);
  const view = await readAccountView(input.images, input.config.regions, failures);
  const families = [];
  for (const family of input.config.families) {
    input.onProgress?.(`reading the registry's versions of ${family.name}`);
    families.push({ family, versions: await input.registry.listVersions(family.name) });
  }
  input.onProgress?.("planning (looking up what uses the images a step would touch)");
  // As the sweep: usage reports are created (or reused) and consumer accounts probed for shared candidates.
  const crossAccount =
    input.config.organization && input.organization
      ? new CrossAccountEvidence(input.organization, input.config.organization, {
          now: input.now,
          ownerAccounts: input.config.accounts,
        })
      : undefined;
  const planned = await planFamilies(input.images, families, view, {
    now: input.now,
    accounts: input.config.accounts,
    ...(crossAccount ? { crossAccount } : {}),
  });
  failures.push(...planned.failures.map(({ family, failure }) => ({ family, ...failure })));
  return {
    plans: input.config.families.flatMap((family) => planned.plans.get(family.name) ?? []),
    blocked: [...planned.blocked].sort(),
    referenceFallbackRegions: planned.referenceFallbackRegions,
    failures,
    versions: Object.fromEntries(families.map(({ family, versions }) => [family.name, versions])),
    ...(crossAccount
      ? {
          consumerEvidence: crossAccount.evidence,
          unreachableConsumers: crossAccount.unreachableConsumers(),
        }
      : {}),
  };
}
