export { type AccountView, readAccountView } from "./account-view";
export { stepsInFlight } from "./execute";
export * from "./invocation";
export { planFamilies, retirementSteps, type SweepPlans } from "./plan-families";
export { blockedAdvance, stageAdvanceBlocked, writeRegistryBatch } from "./registry-batch";
export * from "./report";
export * from "./run-sweep";
export * from "./sweep-invocation";
