export * from "./block-public-access";
export * from "./guard";
export * from "./key-consumers";
export * from "./messages";
export * from "./sync-sharing";
