import { readFileSync } from "node:fs";

/** The sample events of test/fixtures/events, by file name. */
export const amiStateSamples = [
  "ami-state-available.json",
  "ami-state-deregistered.json",
  "ami-state-disabled.json",
  "ami-state-failed.json",
] as const;
/** The CloudTrail sample events. */
export const cloudTrailSamples = [
  "cloudtrail-copy-image.json",
  "cloudtrail-create-image.json",
  "cloudtrail-register-image.json",
] as const;

// biome-ignore lint/suspicious/noExplicitAny: tests break samples on purpose, field by field
export type SampleEvent = any;

/** A fresh, mutable copy of one sample event. */
export function sampleEvent(fileName: string): SampleEvent {
  return JSON.parse(readFileSync(new URL(`../../fixtures/events/${fileName}`, import.meta.url), "utf8"));
}
