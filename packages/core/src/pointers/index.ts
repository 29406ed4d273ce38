export * from "./errors";
export * from "./latest";
export * from "./names";
export * from "./publish-latest";
export * from "./reassert-pointers";
export * from "./request";
export * from "./rollback";
export * from "./rollback-decision";
