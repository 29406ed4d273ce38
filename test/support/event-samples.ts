import { readFileSync } from "node:fs";

// biome-ignore lint/suspicious/noExplicitAny: tests change sample events field by field, on purpose
export type SampleEvent = any;

/** A fresh, mutable copy of one sample event of test/fixtures/events (e.g. "ami-state-available.json"). */
export function sampleEvent(fileName: string): SampleEvent {
  return JSON.parse(readFileSync(new URL(`../fixtures/events/${fileName}`, import.meta.url), "utf8"));
}
