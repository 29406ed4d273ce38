export * from "./errors";
export * from "./latest";
export * from "./names";
export * from "./request";
export * from "./rollback";
export * from "./rollback-decision";
