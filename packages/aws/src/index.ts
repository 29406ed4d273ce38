export * from "./clients";
export * from "./ec2/image-record";
export * from "./ec2/image-references";
export * from "./ec2/image-service";
export * from "./errors";
export * from "./registry/dynamo-version-registry";
export * from "./registry/table";
export * from "./sns/notifier";
