import { type ImageDecision, type PlanSummary, type RetentionAction, retentionActions } from "./types";

/** Counts the decisions per action and adds up what deregistration frees. */
export function summarize(
  family: string,
  decisions: readonly ImageDecision[],
  deletionsCapped: number,
): PlanSummary {
  const counts = Object.fromEntries(retentionActions.map((action) => [action, 0])) as Record<
    RetentionAction,
    number
  >;
  let freedGiB = 0;
  for (const decision of decisions) {
    counts[decision.action] += 1;
    freedGiB += decision.freedGiB;
  }
  const parts = retentionActions.map((action) => `${counts[action]} ${action}`).join(", ");
  const capped = deletionsCapped > 0 ? `; ${deletionsCapped} deregistrations held back by the cap` : "";
  return { counts, freedGiB, text: `${family}: ${parts}; frees ${freedGiB} GiB${capped}` };
}
