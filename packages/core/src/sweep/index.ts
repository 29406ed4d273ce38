export { retentionSummary } from "../notifications/retention-summary";
export { reassertTags } from "../tags/reassert-tags";
export { type AccountView, readAccountView } from "./account-view";
export * from "./invocation";
export { planFamilies, retirementSteps, type SweepPlans } from "./plan-families";
export { pendingGraceMs } from "./reconcile";
export * from "./report";
export * from "./run-sweep";
export * from "./sweep-invocation";
