export { type AccountView, readAccountView } from "./account-view";
export * from "./continuation";
export * from "./continued-invocation";
export { stepsInFlight } from "./execute";
export * from "./invocation";
export { planFamilies, retirementSteps, type SweepPlans } from "./plan-families";
export {
  blockedAdvance,
  stageAdvanceBlocked,
  writeBatchOneByOne,
  writeRegistryBatch,
} from "./registry-batch";
export * from "./report";
export * from "./requested-cap";
export * from "./run-sweep";
export * from "./sweep-invocation";
