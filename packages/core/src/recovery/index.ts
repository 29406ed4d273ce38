export * from "./bin-guard";
export * from "./confirm-gone";
export * from "./ports";
export * from "./record-sharing";
export * from "./rules";
export * from "./warnings";
