export * from "./adopt-account";
export * from "./apply-adoption";
export * from "./copy-adopted";
export * from "./plan-adoption";
