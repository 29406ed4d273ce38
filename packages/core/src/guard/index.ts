export * from "./block-public-access";
export * from "./messages";
export * from "./public-sharing";
export * from "./public-sharing-messages";
export * from "./tag-tampering";
