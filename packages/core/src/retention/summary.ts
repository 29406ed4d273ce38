import { type ImageDecision, type PlanSummary, type RetentionAction, retentionActions } from "./types";

/** Counts the decisions per action and adds up what deregistration frees. */
export function summarize(
  family: string,
  decisions: readonly ImageDecision[],
  deletionsCapped: number,
): PlanSummary {
  const counts: Record<RetentionAction, number> = {
    keep: 0,
    wait: 0,
    deprecate: 0,
    disable: 0,
    deregister: 0,
  };
  let freedGiB = 0;
  for (const decision of decisions) {
    counts[decision.action] += 1;
    freedGiB += decision.freedGiB;
  }
  const parts = retentionActions.map((action) => `${counts[action]} ${action}`).join(", ");
  const capped = deletionsCapped > 0 ? `; ${deletionsCapped} deregistrations held back by the cap` : "";
  return { counts, freedGiB, text: `${family}: ${parts}; frees ${freedGiB} GiB${capped}` };
}
