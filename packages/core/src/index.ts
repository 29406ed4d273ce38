export * from "./config";
export * from "./config-file";
export * from "./errors";
export * from "./model";
export * from "./notifications";
export * from "./ports";
export * from "./tags";
