export * from "./adopt-copy";
export * from "./copy-lineage";
export * from "./copy-name";
export * from "./failed-copy";
export * from "./refused-copy";
export * from "./restart-copies";
export * from "./start-copies";
