import * as z from "zod/mini";
import type { ReactionDependencies } from "../dependencies";
import { AmiLifecycleError } from "../errors";
import type { PointerDependencies } from "./rollback";

/**
 * Input of the rollback Lambda (direct invocation by automation): `{ family, to?, force?, requestId? }`.
 * `requestId` names the request across the caller's own retries (Lambda's retries keep their request id).
 */
export const rollbackRequestSchema = z.strictObject({
  family: z.string().check(z.minLength(1, "must name a family")),
  to: z.optional(z.number().check(z.int("must be a whole number"), z.gte(1, "must be ≥ 1"))),
  force: z.optional(z.boolean()),
  requestId: z.optional(
    z.string().check(z.minLength(1, "must not be empty"), z.maxLength(200, "must be at most 200 characters")),
  ),
});

/** A validated rollback request. */
export type RollbackRequest = z.infer<typeof rollbackRequestSchema>;

/** The runtime has no pointer adapter: a wiring mistake, never an operator's. */
export class PointersNotWiredError extends AmiLifecycleError {
  override name = "PointersNotWiredError";
  constructor() {
    super("these dependencies have no channel pointers (ReactionDependencies.pointers)");
  }
}

/** The reaction ports as rollback and promote need them; throws PointersNotWiredError without pointers. */
export function pointerDependencies(deps: ReactionDependencies): PointerDependencies {
  const { pointers } = deps;
  if (!pointers) throw new PointersNotWiredError();
  return { ...deps, pointers };
}
