export * from "./key-consumers";
export * from "./sweep-sharing";
export * from "./sync-sharing";
