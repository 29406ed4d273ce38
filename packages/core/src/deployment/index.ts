export * from "./descriptor";
export * from "./sweep-runs";
