import { type Effect, effectsOf, type RetiredStage, type VersionRecord } from "@ami-lifecycle/core";
import type { PlanDocumentFamily } from "../planning/plan-document";
import { shortArns } from "./short-arns";

/** Where one version's image in one region was in its life from `from` to `until`. */
export interface LifelineSpan {
  family: string;
  version: number;
  region: string;
  /** the lane's label: "v3 us-east-1" */
  lane: string;
  /** "restorable": deregistered into the Recycle Bin, until the date it can be restored */
  stage: "available" | RetiredStage | "restorable";
  from: string;
  until: string;
  /** the version's keep reasons or next step, from the latest plan */
  why: string;
}

/** Something that happened to a version in a region at one moment. */
export interface LifelineMark {
  family: string;
  version: number;
  region: string;
  lane: string;
  at: string;
  kind: "copy-failed" | "withdrawn" | "deregistered" | "pointer-moved";
  text: string;
}

/** One family's lifelines. */
export interface FamilyLifelines {
  family: string;
  lanes: string[];
  spans: LifelineSpan[];
  marks: LifelineMark[];
}

/**
 * Per version and region, the spans available → deprecated → disabled (→ deregistered, a mark), from the
 * registry's stage dates; copy failures and rollbacks as marks. Spans still open end at `now`.
 */
export function familyLifelines(
  family: string,
  versions: readonly VersionRecord[],
  plan: PlanDocumentFamily | undefined,
  now: string,
  pointerMoves: readonly PointerMove[] = [],
): FamilyLifelines {
  const spans: LifelineSpan[] = [];
  const marks: LifelineMark[] = [];
  const lanes: string[] = [];
  for (const version of [...versions].sort((a, b) => b.version - a.version)) {
    for (const record of Object.values(version.regions).sort((a, b) => a.region.localeCompare(b.region))) {
      const lane = `v${version.version} ${record.region}`;
      lanes.push(lane);
      const base = { family, version: version.version, region: record.region, lane };
      const why = whyOf(plan, version.version, record.region);
      const start = record.availableAt ?? version.createdAt;
      const gone =
        // Recoverable: deregistered into the Recycle Bin, so its lane ends like any deregistration.
        record.state === "deregistered" || record.state === "recoverable" || record.state === "missing"
          ? (version.stageDates?.deregistered ?? record.updatedAt)
          : undefined;
      const end = gone ?? now;
      const steps: { stage: LifelineSpan["stage"]; at: string }[] = [{ stage: "available", at: start }];
      for (const stage of ["deprecated", "disabled"] as const) {
        const at = version.stageDates?.[stage];
        if (at && at < end) steps.push({ stage, at });
      }
      if (record.state !== "failed") {
        steps.forEach((step, index) => {
          const until = steps[index + 1]?.at ?? end;
          if (until > step.at) spans.push({ ...base, stage: step.stage, from: step.at, until, why });
        });
      }
      if (gone)
        marks.push({ ...base, at: gone, kind: "deregistered", text: `deregistered ${gone.slice(0, 10)}` });
      if (
        gone &&
        record.state === "recoverable" &&
        record.recoverableUntil &&
        record.recoverableUntil > gone
      ) {
        spans.push({
          ...base,
          stage: "restorable",
          from: gone,
          until: record.recoverableUntil,
          why: `in the Recycle Bin: restorable until ${record.recoverableUntil.slice(0, 16).replace("T", " ")}`,
        });
      }
      if (record.failureReason) {
        marks.push({ ...base, at: record.updatedAt, kind: "copy-failed", text: record.failureReason });
      }
      for (const move of pointerMoves) {
        if (move.family !== family || move.version !== version.version || move.region !== record.region)
          continue;
        marks.push({
          ...base,
          at: move.at,
          kind: "pointer-moved",
          text: `latest in ${move.region} → v${move.version}`,
        });
      }
      if (version.withdrawn && record.region === version.sourceRegion) {
        marks.push({
          ...base,
          at: version.withdrawnAt ?? version.createdAt,
          kind: "withdrawn",
          text: "withdrawn by a rollback: never promoted again",
        });
      }
    }
  }
  return { family, lanes, spans, marks };
}

function whyOf(plan: PlanDocumentFamily | undefined, version: number, region: string): string {
  const decision = plan?.regions
    .find((candidate) => candidate.region === region)
    ?.decisions.find((candidate) => candidate.version === version);
  if (!decision) return "not in the plan (retired or not yet seen)";
  const reasons = decision.reasons.map((reason) => `${reason.rule}: ${shortArns(reason.message)}`).join("; ");
  return `${decision.action}${reasons ? ` (${reasons})` : ""}`;
}

/** The `latest` pointer of a family moved to a version in a region. */
export interface PointerMove {
  family: string;
  version: number;
  region: string;
  at: string;
}

/**
 * The pointer moves of a sandbox story, from its handlers' results. The registry keeps no pointer
 * history, so a report of a deployed service draws none. The reactions report their typed effects;
 * each `pointer-moved` one is a move.
 */
export function pointerMovesOf(entries: readonly { time: string; result?: unknown }[]): PointerMove[] {
  return entries.flatMap((entry) => {
    const result = entry.result as { family?: unknown; effects?: unknown } | undefined;
    if (typeof result?.family !== "string" || !Array.isArray(result.effects)) return [];
    const family = result.family;
    return effectsOf(result.effects as Effect[], "pointer-moved").map((move) => ({
      family,
      region: move.region,
      version: move.version,
      at: entry.time,
    }));
  });
}
