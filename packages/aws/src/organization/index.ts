export * from "./assumed-roles";
export * from "./consumer-probes";
export * from "./organization-directory";
export * from "./usage-reports";
export * from "./watermarks";
