import type { KeepRule } from "../context";
import { consumerEvidence } from "./consumer-evidence";
import { inUse } from "./in-use";
import { keepLatest } from "./keep-latest";
import { minAge } from "./min-age";
import { newestAvailable } from "./newest-available";
import { notManaged } from "./not-managed";
import { protectedVersion } from "./protected";
import { recentlyLaunched } from "./recently-launched";
import { restoredHold } from "./restored-hold";

/** The rules that keep a whole version, in the order their reasons are reported. Any one keeps it. */
export const keepRules: readonly KeepRule[] = [
  notManaged,
  inUse,
  consumerEvidence,
  protectedVersion,
  restoredHold,
  newestAvailable,
  keepLatest,
  minAge,
  recentlyLaunched,
];
