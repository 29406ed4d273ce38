/**
 * The handler factories, for whatever runs the handlers outside Lambda (the simulated deployment of the
 * sandbox and the tests): each takes the runtime to run on. Lambda itself loads `<file>.handler`.
 */
export { createImageApiCallHandler } from "./image-api-call";
export { createImagePermissionChangeHandler } from "./image-permission-change";
export { createImageStateChangeHandler } from "./image-state-change";
export { createImageTagChangeHandler } from "./image-tag-change";
export { createRetentionSweepHandler } from "./retention-sweep";
export { createRollbackHandler } from "./rollback";
