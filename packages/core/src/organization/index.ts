export * from "./config";
export * from "./consumer-evidence";
export * from "./consumer-notices";
export * from "./evidence";
export * from "./gather-evidence";
export * from "./ports";
export * from "./tell-consumers";
export * from "./unreachable-notice";
