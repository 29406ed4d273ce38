import {
  type Config,
  ConfigError,
  checkedConfigFileName,
  checkedConfigProblem,
  configFileName,
  loadConfigFile,
} from "@ami-lifecycle/core";

/** The configuration file the stacks read at build time (the functions bundle its checked form). */
export const serviceConfigPath = configFileName;

/** Stages that hold real data: tables are protected and retained, logs kept longer. */
export const productionStages: readonly string[] = ["prod", "production"];

/**
 * Reads and validates `ami-lifecycle.config.json` (relative to the app root, where SST runs), and refuses
 * to deploy when `ami-lifecycle.config.checked.json`, which the functions bundle and run on, was not
 * written from it: the infrastructure and the functions must come from the same configuration.
 */
export function loadServiceConfig(
  configPath = serviceConfigPath,
  checkedPath = checkedConfigFileName,
): Config {
  const config = loadConfigFile(configPath);
  const problem = checkedConfigProblem(config, checkedPath);
  if (problem) throw new ConfigError([{ path: "(root)", message: problem }], configPath);
  return config;
}

/** True for a stage whose data must survive mistakes (`sst remove`, table deletion). */
export function isProductionStage(stage: string): boolean {
  return productionStages.includes(stage);
}

/** Every region some family copies into, each once, in configuration order. */
export function copyDestinationRegions(config: Config): string[] {
  return [
    ...new Set(config.families.flatMap((family) => family.copyTo.map((destination) => destination.region))),
  ];
}

/** Every managed region except the home region (they forward their events home). */
export function forwardingRegions(config: Config): string[] {
  return config.regions.filter((region) => region !== config.homeRegion);
}

/** `eu-west-1` → `EuWest1`, for logical names (SST component names allow no dashes). */
export function regionLabel(region: string): string {
  return region
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}
