export * from "./late-creator";
export * from "./new-version";
export * from "./region-records";
export * from "./vanished-image";
export * from "./vanished-records";
export * from "./version-from-tags";
