export * from "./apply-adoption";
export * from "./plan-adoption";
