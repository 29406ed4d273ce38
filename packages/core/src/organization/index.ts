export * from "./config";
export * from "./evidence";
export * from "./ports";
