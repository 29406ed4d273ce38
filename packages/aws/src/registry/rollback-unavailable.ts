import { AmiLifecycleError } from "@ami-lifecycle/core";

/** A rollback decision was asked of a registry built without `rollbackDecisions` (only the rollback's runtime wires it). */
export class RollbackDecisionsUnavailableError extends AmiLifecycleError {
  override name = "RollbackDecisionsUnavailableError";
  constructor() {
    super(
      "rollbackDecisions: this registry records no rollback decisions (only the rollback handler's runtime wires them)",
    );
  }
}
