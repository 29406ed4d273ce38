export * from "./claim-keys";
export { digestWeekDue, familyDigest, isoWeek, sendDigestIfDue } from "./digest";
export * from "./notification";
export * from "./once";
export * from "./retention-summary";
export * from "./summary-notice";
export * from "./version-messages";
export * from "./version-notices";
