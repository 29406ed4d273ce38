import type { Runtime } from "@ami-lifecycle/aws";
import { createRetentionSweepHandler } from "@ami-lifecycle/functions";
import type { LocalHandler } from "@ami-lifecycle/simulated-account";
import type { ScheduledSweep } from "./scenario";

/** The retention sweep handler the sandbox deploys: the real one, over the sandbox's runtime. */
export const sandboxSweepHandler: (runtime: () => Runtime) => LocalHandler = (runtime) =>
  createRetentionSweepHandler(runtime) as unknown as LocalHandler;

/** The daily scheduled sweep, invoked with the input EventBridge Scheduler sends. */
export const scheduledSweep: ScheduledSweep = async (session) => {
  await session.scheduledSweep();
};
