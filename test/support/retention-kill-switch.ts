import type { ImageService } from "@ami-lifecycle/core";

/** The EC2 calls that change something. */
export const mutatingImageCalls: ReadonlySet<string> = new Set([
  "tagImage",
  "copyImage",
  "deprecateImage",
  "disableImage",
  "deregisterImage",
  "deleteSnapshot",
]);

/** What a killed Lambda does after the kill: nothing at all. */
export class SweepKilledError extends Error {
  override name = "SweepKilledError";
}

/**
 * Simulates a sweep killed half-way (timeout, crash): lets `afterMutatingCalls` mutating EC2 calls
 * through, refuses the next one, and from then on refuses every call of every wrapped port, so nothing
 * the sweep does after the kill has an effect.
 */
export class KillSwitch {
  private mutatingCalls = 0;
  killed = false;

  constructor(readonly afterMutatingCalls: number) {}

  /** Wraps a port; calls named in `mutating` count towards the kill. */
  wrap<T extends object>(port: T, mutating: ReadonlySet<string> = new Set()): T {
    return new Proxy(port, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (this.killed) throw new SweepKilledError("the sweep was killed");
          if (mutating.has(String(property))) {
            if (this.mutatingCalls >= this.afterMutatingCalls) {
              this.killed = true;
              throw new SweepKilledError("the sweep was killed");
            }
            this.mutatingCalls++;
          }
          return value.apply(target, args);
        };
      },
    });
  }
}

/** Records every image deregistered and snapshot deleted, to prove nothing is deleted twice. */
export class DeletionRecorder {
  readonly deregistered: string[] = [];
  readonly deletedSnapshots: string[] = [];

  /** Wraps the EC2 port, recording successful deletions. */
  wrap(images: ImageService): ImageService {
    const recorder = this;
    return new Proxy(images, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property === "deregisterImage") {
          return async (region: string, imageId: string) => {
            const result = await target.deregisterImage(region, imageId);
            recorder.deregistered.push(imageId);
            for (const snapshot of result.snapshotResults) {
              if (snapshot.returnCode === "success") recorder.deletedSnapshots.push(snapshot.snapshotId);
            }
            return result;
          };
        }
        if (property === "deleteSnapshot") {
          return async (region: string, snapshotId: string) => {
            await target.deleteSnapshot(region, snapshotId);
            recorder.deletedSnapshots.push(snapshotId);
          };
        }
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }
}

/** The values that occur more than once. */
export function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) repeated.add(value);
    seen.add(value);
  }
  return [...repeated];
}
