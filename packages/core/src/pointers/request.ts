import * as z from "zod/mini";
import type { ReactionDependencies } from "../dependencies";
import { boundedString } from "../events/event-fields";
import type { PointerDependencies } from "./rollback";

/**
 * Input of the rollback Lambda (direct invocation by automation): `{ family, to?, force?, requestId? }`.
 * `requestId` names the request across the caller's own retries (Lambda's retries keep their request id).
 */
export const rollbackRequestSchema = z.strictObject({
  family: boundedString(256).check(z.minLength(1, "must name a family")),
  to: z.optional(z.number().check(z.int("must be a whole number"), z.gte(1, "must be ≥ 1"))),
  force: z.optional(z.boolean()),
  requestId: z.optional(
    z.string().check(z.minLength(1, "must not be empty"), z.maxLength(200, "must be at most 200 characters")),
  ),
});

/** A validated rollback request. */
export type RollbackRequest = z.infer<typeof rollbackRequestSchema>;

/** The reaction ports as rollback and promote need them (every runtime wires the pointers). */
export function pointerDependencies(deps: ReactionDependencies): PointerDependencies {
  return deps;
}
