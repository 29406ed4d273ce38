export * from "./lifecycle-tags";
export * from "./reassert-tags";
export * from "./tag-plans";
export * from "./tagging";
