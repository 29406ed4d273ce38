export * from "./assess";
export * from "./ports";
export * from "./read-status";
export { nextRun } from "./schedule";
