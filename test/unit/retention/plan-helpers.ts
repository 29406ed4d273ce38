import { type FamilyPlan, type ImageDecision, planRetention, type RetentionInput } from "@ami-lifecycle/core";
import { family, now } from "./builders";

/** Plans with sensible defaults for the example tests. */
export function plan(
  input: Partial<RetentionInput> & Pick<RetentionInput, "versions" | "images">,
): FamilyPlan {
  return planRetention({ family: family(), references: [], now, ...input });
}

/** The decision for one version and region; fails loudly when absent. */
export function decisionOf(result: FamilyPlan, version: number | null, region = "eu-west-1"): ImageDecision {
  const found = result.decisions.find(
    (decision) => decision.version === version && decision.region === region,
  );
  if (!found) throw new Error(`no decision for v${version} in ${region}`);
  return found;
}

/** Version → action, for versions with one region. */
export function actionsByVersion(result: FamilyPlan): Record<number, string> {
  const actions: Record<number, string> = {};
  for (const decision of result.decisions)
    if (decision.version !== null) actions[decision.version] = decision.action;
  return actions;
}

/** The rules named in a decision's reasons. */
export function rulesOf(decision: ImageDecision): string[] {
  return decision.reasons.map((reason) => reason.rule);
}
