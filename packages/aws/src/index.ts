export * from "./errors";
export * from "./registry/dynamo-version-registry";
export * from "./registry/table";
