import type { SweepProgressStore, SweepRunLog } from "@ami-lifecycle/core";
import { DynamoSweepProgressStore } from "../registry/sweep-progress";
import { DynamoSweepRunLog } from "../registry/sweep-run-log";
import type { Runtime } from "./runtime";

/** The sweep's own stores on the registry table. */
export interface SweepStores {
  /** Where the sweep records its last scheduled run (status reads it). */
  sweepRuns: SweepRunLog;
  /** Where a sweep that spans invocations keeps its cursor and lease. */
  sweepProgress: SweepProgressStore;
}

/** Built once per runtime (container), like the runtime's own adapters. */
const storesByRuntime = new WeakMap<Runtime, SweepStores>();

/**
 * The sweep's cursor store and run log over a runtime's registry table. Built here rather than in
 * createRuntime so that only the bundles that import this (the sweep's) carry them.
 */
export function sweepStoresOf(runtime: Runtime): SweepStores {
  let stores = storesByRuntime.get(runtime);
  if (!stores) {
    const table = runtime.registryTable();
    stores = { sweepRuns: new DynamoSweepRunLog(table), sweepProgress: new DynamoSweepProgressStore(table) };
    storesByRuntime.set(runtime, stores);
  }
  return stores;
}
