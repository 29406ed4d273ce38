export * from "./assumed-roles";
export * from "./consumer-events";
export * from "./consumer-probes";
export * from "./cross-account-clients";
export * from "./organization-directory";
export * from "./usage-reports";
export * from "./watermarks";
