import type { FamilyConfig } from "../config";
import { RecycleBinNotReadyError } from "../errors";
import type { RecycleBinReadiness, RecycleBinService } from "./ports";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Days a family's deregistered versions stay restorable; 0: deregistration is final. */
export function recoverableDays(family: FamilyConfig): number {
  return family.retention.recoverableForDays;
}

/** When a version deregistered now stops being restorable. */
export function recoverableUntil(family: FamilyConfig, now: Date): string {
  return new Date(now.getTime() + recoverableDays(family) * DAY_MS).toISOString();
}

/**
 * Answers, once per region and period within one sweep, whether the bin can give back what is
 * deregistered now; throws RecycleBinNotReadyError (the step's reason) when it cannot.
 */
export class RecycleBinGuard {
  private readonly answers = new Map<string, Promise<RecycleBinReadiness>>();

  constructor(private readonly recycleBin: RecycleBinService) {}

  /** Throws RecycleBinNotReadyError unless the region's rules keep images and snapshots for `days`. */
  async assertReady(region: string, days: number): Promise<void> {
    const key = `${region}:${days}`;
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.recycleBin.readiness(region, days);
      this.answers.set(key, answer);
    }
    const readiness = await answer;
    if (!readiness.ready) throw new RecycleBinNotReadyError(region, readiness.reason);
  }
}
