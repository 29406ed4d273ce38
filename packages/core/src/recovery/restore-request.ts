import * as z from "zod/mini";
import { awsRegionSchema } from "../contracts/zod-fields";
import { boundedString } from "../events/event-fields";

/** Input of the restore Lambda (direct invocation): `{ family, version, region? }`. */
export const restoreRequestSchema = z.strictObject({
  family: boundedString(256).check(z.minLength(1, "must name a family")),
  version: z.number().check(z.int("must be a whole number"), z.gte(1, "must be ≥ 1")),
  // The same region rule as the config's and the events' (every partition's names).
  region: z.optional(awsRegionSchema),
});

/** A validated restore request. */
export type RestoreRequest = z.infer<typeof restoreRequestSchema>;
