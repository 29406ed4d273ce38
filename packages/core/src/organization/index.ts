export * from "./config";
export * from "./consumer-evidence";
export * from "./consumer-role";
export * from "./evidence";
export * from "./gather-evidence";
export * from "./permissions";
export * from "./ports";
export * from "./unreachable-notice";
