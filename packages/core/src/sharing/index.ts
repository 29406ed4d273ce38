export * from "./block-public-access";
export * from "./guard";
export * from "./messages";
export * from "./sync-sharing";
