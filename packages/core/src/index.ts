export * from "./config";
export * from "./errors";
export * from "./model";
export * from "./notifications";
export * from "./ports";
export * from "./tags";
