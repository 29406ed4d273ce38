import type { Runtime } from "@ami-lifecycle/aws";
import type { LocalHandler } from "../local/deployment";
import type { ScheduledSweep } from "./scenario";

/** The retention sweep handler the sandbox deploys (undefined until the sweep exists). */
export const sandboxSweepHandler: ((runtime: () => Runtime) => LocalHandler) | undefined = undefined;

/** The daily scheduled sweep, as EventBridge Scheduler invokes it (undefined until the sweep exists). */
export const scheduledSweep: ScheduledSweep | undefined = undefined;
