export { type AccountView, readAccountView } from "./account-view";
export * from "./invocation";
export { planFamilies, retirementSteps, type SweepPlans } from "./plan-families";
export { reassertTags } from "./reassert-tags";
export { pendingGraceMs } from "./reconcile";
export * from "./report";
export * from "./run-sweep";
export { retentionSummary } from "./summary";
export * from "./sweep-invocation";
