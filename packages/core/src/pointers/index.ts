export * from "./errors";
export * from "./latest";
export * from "./names";
export * from "./rollback";
