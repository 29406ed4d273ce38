export * from "./messages";
export * from "./tag-tampering";
