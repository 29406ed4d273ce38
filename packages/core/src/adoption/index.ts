export * from "./adopt-account";
export * from "./apply-adoption";
export * from "./plan-adoption";
