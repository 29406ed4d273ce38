export * from "./ami-state-change";
export * from "./cloudtrail-image-call";
export * from "./event-fields";
export * from "./image-permission-change";
export * from "./image-tag-change";
export * from "./patterns";
export * from "./service-events";
