export * from "./config";
export * from "./consumer-evidence";
export * from "./evidence";
export * from "./gather-evidence";
export * from "./ports";
export * from "./unreachable-notice";
