export * from "../guard/block-public-access";
export * from "../guard/public-sharing";
export * from "../guard/public-sharing-messages";
export * from "./key-consumers";
export * from "./sync-sharing";
