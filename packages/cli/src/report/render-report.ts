import type { RegionImageRecord, SnapshotPrices, VersionRecord } from "@ami-lifecycle/core";
import type { PlanDocument, PlanDocumentDecision } from "../planning/plan-document";
import type { RegistryFamily } from "../planning/registry-view";
import type { TimelineEntry } from "../sandbox/timeline";
import { lifelinesChart, storageHistoryChart, storageNowChart, timelineEventsChart } from "./charts";
import { type FamilyLifelines, familyLifelines, pointerMovesOf } from "./lifelines";
import { shortArns } from "./short-arns";
import { type StorageReport, storageReport } from "./storage-history";
import { reportStyles } from "./styles";

/** Everything the HTML report shows. */
export interface ReportInput {
  /** "sandbox" or the account label */
  source: string;
  generatedAt: string;
  regions: readonly string[];
  registry: readonly RegistryFamily[];
  plan: PlanDocument;
  /** snapshot prices the storage section uses (the config's `report.snapshotPrices`) */
  prices: SnapshotPrices;
  /** the sandbox's story, when the report is of a sandbox run */
  timeline?: readonly TimelineEntry[];
}

/**
 * A self-contained HTML page (inline CSS and SVG, no scripts, no external assets): snapshot storage and
 * its cost over time, then per family the version lifelines and the versions × regions with each image's
 * state, the version's stage and why it is kept or what retirement does next, then the latest plan.
 */
export async function renderReport(input: ReportInput): Promise<string> {
  const { plan } = input;
  const storage = storageReport(input.registry, plan, input.prices);
  const pointerMoves = pointerMovesOf(input.timeline ?? []);
  const lifelines = input.registry.map((family) =>
    familyLifelines(
      family.family,
      family.versions,
      plan.families.find((candidate) => candidate.family === family.family),
      plan.plannedAt,
      pointerMoves,
    ),
  );
  const families: string[] = [];
  for (const [index, family] of input.registry.entries()) {
    families.push(
      familySection(
        family,
        input.regions,
        plan,
        (await lifelinesChart(lifelines[index] as FamilyLifelines)).html,
      ),
    );
  }
  const totals = plan.totals;
  const heldGiB = storage.regions.reduce((sum, region) => sum + region.gib, 0);
  const monthly = storage.regions.reduce((sum, region) => sum + region.monthlyCost, 0);
  const freedGiB = storage.regions.reduce((sum, region) => sum + region.freedGiB, 0);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ami-lifecycle report</title>
<style>${reportStyles}</style>
</head>
<body>
<header>
  <h1>ami-lifecycle report</h1>
  <p class="meta">Source: <strong>${escapeHtml(input.source)}</strong> · planned at <time>${escapeHtml(plan.plannedAt)}</time> · mode <span class="badge mode-${plan.mode}">${plan.mode}</span> · generated ${escapeHtml(input.generatedAt)}</p>
  <section class="totals" aria-label="totals">
    ${totalCard("versions", String(input.registry.reduce((sum, family) => sum + family.versions.length, 0)))}
    ${totalCard("keep", String(totals.counts.keep))}
    ${totalCard("deprecate", String(totals.counts.deprecate))}
    ${totalCard("disable", String(totals.counts.disable))}
    ${totalCard("deregister", String(totals.counts.deregister))}
    ${totalCard("GiB freed by plan", String(totals.freedGiB))}
    ${totalCard("snapshot GiB held", String(heldGiB))}
    ${totalCard(`${storage.currency} a month`, monthly.toFixed(2))}
    ${totalCard(`GiB freed, last ${storage.periodDays} days`, String(freedGiB))}
  </section>
</header>
<main>
${await storageSection(input.registry, storage)}
${families.join("\n")}
${planSection(plan)}
${input.timeline ? await timelineSection(input.timeline, lifelines, plan.plannedAt) : ""}
</main>
<footer>Legend: <span class="state state-available">available</span> <span class="state state-pending">pending</span> <span class="state state-failed">failed</span> <span class="state state-disabled">disabled</span> <span class="state state-deregistered">deregistered</span> <span class="state state-recoverable">recoverable</span> (deregistered into the Recycle Bin, restorable until its date). Stages only move forward: active → deprecated → disabled → deregistered.</footer>
</body>
</html>
`;
}

/** Storage now and over time, its monthly cost, what the period's retirements freed and the plan frees. */
async function storageSection(registry: readonly RegistryFamily[], storage: StorageReport): Promise<string> {
  const rows = storage.regions
    .map(
      (region) =>
        `<tr><td>${escapeHtml(region.family)}</td><td>${escapeHtml(region.region)}</td><td>${region.gib}</td><td>${region.monthlyCost.toFixed(2)}</td><td>${region.freedGiB}</td><td>${region.planFreesGiB}</td></tr>`,
    )
    .join("\n");
  const history: string[] = [];
  for (const family of registry) history.push((await storageHistoryChart(storage, family.family)).html);
  return `<section class="storage" id="storage">
  <h2>Snapshot storage and cost <small>as of ${escapeHtml(storage.now.slice(0, 16).replace("T", " "))} · ${escapeHtml(storage.currency)} list prices of ${escapeHtml(storage.pricesAsOf)} · sizes are the snapshots' volume sizes, an upper bound of what is billed</small></h2>
  ${(await storageNowChart(storage)).html}
  ${history.join("\n")}
  <table class="data">
    <caption>Storage per family and region: GiB held now, monthly cost, GiB the retirements of the last ${storage.periodDays} days freed, GiB the latest plan frees next</caption>
    <thead><tr><th>Family</th><th>Region</th><th>GiB now</th><th>${escapeHtml(storage.currency)} a month</th><th>GiB freed (${storage.periodDays} days)</th><th>GiB the plan frees</th></tr></thead>
    <tbody>
${rows || '<tr><td colspan="6">No snapshot storage recorded yet.</td></tr>'}
    </tbody>
  </table>
</section>`;
}

function familySection(
  family: RegistryFamily,
  regions: readonly string[],
  plan: PlanDocument,
  lifelines: string,
): string {
  const familyPlan = plan.families.find((candidate) => candidate.family === family.family);
  const decisions = new Map<string, PlanDocumentDecision>();
  for (const region of familyPlan?.regions ?? []) {
    for (const decision of region.decisions) {
      if (decision.version !== null) decisions.set(`${decision.version}/${region.region}`, decision);
    }
  }
  const rows = [...family.versions]
    .reverse()
    .map((version) => versionRow(version, regions, decisions))
    .join("\n");
  return `<section class="family" id="family-${escapeHtml(family.family)}">
  <h2>${escapeHtml(family.family)} <small>team ${escapeHtml(family.team)} · ${family.versions.length} version${family.versions.length === 1 ? "" : "s"}${familyPlan ? ` · ${escapeHtml(familyPlan.summary.replace(`${family.family}: `, ""))}` : ""}</small></h2>
  ${lifelines}
  <table>
    <thead><tr><th>Version</th><th>Stage</th>${regions.map((region) => `<th>${escapeHtml(region)}</th>`).join("")}<th>Why kept / next step</th></tr></thead>
    <tbody>
${rows || `<tr><td colspan="${regions.length + 3}">No versions yet.</td></tr>`}
    </tbody>
  </table>
</section>`;
}

function versionRow(
  version: VersionRecord,
  regions: readonly string[],
  decisions: ReadonlyMap<string, PlanDocumentDecision>,
): string {
  const cells = regions.map((region) => regionCell(version.regions[region])).join("");
  const decided = regions.flatMap((region) => decisions.get(`${version.version}/${region}`) ?? []);
  return `      <tr class="stage-${version.stage}">
        <td><strong>v${version.version}</strong><br><span class="name">${escapeHtml(version.name)}</span><br><span class="muted">${escapeHtml(version.createdAt.slice(0, 16).replace("T", " "))}${version.createdBy ? ` · ${escapeHtml(shortPrincipal(version.createdBy))}` : ""}</span></td>
        <td><span class="badge stage stage-badge-${version.stage}">${version.stage}</span>${version.withdrawn ? ' <span class="badge withdrawn">withdrawn</span>' : ""}${stageDates(version)}</td>
        ${cells}
        <td class="reason">${reasonCell(decided)}</td>
      </tr>`;
}

/** The dates the lifeline draws, as text: when the version entered each stage it reached. */
function stageDates(version: VersionRecord): string {
  const dates = Object.entries(version.stageDates ?? {}).map(
    ([stage, at]) => `${stage} ${escapeHtml(at.slice(0, 16).replace("T", " "))}`,
  );
  if (version.withdrawnAt)
    dates.push(`withdrawn ${escapeHtml(version.withdrawnAt.slice(0, 16).replace("T", " "))}`);
  return dates.length > 0 ? `<br><span class="muted">${dates.join("<br>")}</span>` : "";
}

function regionCell(record: RegionImageRecord | undefined): string {
  if (!record) return '<td class="empty">—</td>';
  const failure = record.failureReason
    ? `<br><span class="failure">${escapeHtml(record.failureReason)}</span>`
    : "";
  const size = record.sizeGiB ? ` · ${record.sizeGiB} GiB` : "";
  return `<td><span class="state state-${record.state}">${record.state}</span><br><code>${escapeHtml(record.imageId ?? "(none)")}</code>${size}${record.role === "copy" && record.copyAttempts > 1 ? `<br><span class="muted">${record.copyAttempts} attempts</span>` : ""}${failure}</td>`;
}

/** The version's decision: every region shares the keep reasons; retirement steps are listed per action. */
function reasonCell(decisions: readonly PlanDocumentDecision[]): string {
  if (decisions.length === 0)
    return '<span class="muted">not in the plan (already retired or not yet seen)</span>';
  const actions = [...new Set(decisions.map((decision) => decision.action))];
  const reasons = [
    ...new Map(
      decisions
        .flatMap((decision) => decision.reasons)
        .map((reason) => [`${reason.rule}|${reason.message}`, reason]),
    ).values(),
  ];
  return `${actions.map((action) => `<span class="badge action-${action}">${action}</span>`).join(" ")}<ul>${reasons
    .map(
      (reason) =>
        `<li><strong>${escapeHtml(reason.rule)}</strong>: ${escapeHtml(shortArns(reason.message))}</li>`,
    )
    .join("")}</ul>`;
}

function planSection(plan: PlanDocument): string {
  const rows = plan.families.flatMap((family) =>
    family.regions.flatMap((region) =>
      region.decisions
        .filter((decision) => decision.action !== "keep")
        .map(
          (decision) =>
            `<tr><td>${escapeHtml(family.family)}</td><td>${decision.version === null ? "—" : `v${decision.version}`}</td><td>${escapeHtml(region.region)}</td><td><code>${escapeHtml(decision.imageId)}</code></td><td><span class="badge action-${decision.action}">${decision.action}</span></td><td>${decision.freedGiB > 0 ? `${decision.freedGiB} GiB` : ""}</td><td>${decision.reasons.map((reason) => escapeHtml(`${reason.rule}: ${shortArns(reason.message)}`)).join("<br>")}</td></tr>`,
        ),
    ),
  );
  const summaries = plan.families.map((family) => `<li>${escapeHtml(family.summary)}</li>`).join("");
  return `<section class="plan" id="plan">
  <h2>Latest retention plan <small>${escapeHtml(plan.plannedAt)} · ${plan.mode === "dry-run" ? "dry-run: the sweep only reports" : "enforce: the sweep applies it"}</small></h2>
  <ul class="summaries">${summaries}</ul>
  ${
    rows.length > 0
      ? `<table><thead><tr><th>Family</th><th>Version</th><th>Region</th><th>Image</th><th>Action</th><th>Frees</th><th>Reasons</th></tr></thead><tbody>${rows.join("\n")}</tbody></table>`
      : '<p class="muted">Every image is kept: nothing to retire now.</p>'
  }
</section>`;
}

/** The sandbox's story: every family's lifelines with the story's events under them on one time axis. */
async function timelineSection(
  timeline: readonly TimelineEntry[],
  lifelines: readonly FamilyLifelines[],
  now: string,
): Promise<string> {
  const times = [
    ...timeline.map((entry) => entry.time),
    ...lifelines.flatMap((family) => family.spans.map((span) => span.from)),
    now,
  ].sort();
  const domain = [times[0] ?? now, times.at(-1) ?? now] as const;
  const all: FamilyLifelines = {
    family: "every family",
    lanes: lifelines.flatMap((family) => family.lanes.map((lane) => `${family.family} ${lane}`)),
    spans: lifelines.flatMap((family) =>
      family.spans.map((span) => ({ ...span, lane: `${family.family} ${span.lane}` })),
    ),
    marks: lifelines.flatMap((family) =>
      family.marks.map((mark) => ({ ...mark, lane: `${family.family} ${mark.lane}` })),
    ),
  };
  const events = timeline.map((entry) => ({
    time: entry.time,
    region: entry.region,
    kind: entry.kind,
    status: entry.status,
    text: `${entry.time.slice(0, 16).replace("T", " ")} ${entry.region}: ${entry.event} → ${entry.outcome.replaceAll("\n", "; ")}`,
  }));
  return `<section class="timeline" id="timeline">
  <h2>Sandbox timeline <small>${timeline.length} entries: the versions' lifelines, and the events under them</small></h2>
  ${(await lifelinesChart(all, { chart: "timeline-lifelines", domain })).html}
  ${(await timelineEventsChart(events, domain)).html}
  ${timelineTable(timeline)}
</section>`;
}

function timelineTable(timeline: readonly TimelineEntry[]): string {
  const rows = timeline
    .map(
      (entry) =>
        `<tr class="kind-${entry.kind} status-${entry.status}"><td>${escapeHtml(entry.time.slice(0, 16).replace("T", " "))}</td><td>${escapeHtml(entry.region)}</td><td>${escapeHtml(entry.event)}</td><td>${escapeHtml(entry.outcome).replaceAll("\n", "<br>")}</td></tr>`,
    )
    .join("\n");
  return `<details class="data">
    <summary>Every entry as a table</summary>
    <table><thead><tr><th>Time</th><th>Region</th><th>What happened</th><th>What the service did</th></tr></thead><tbody>${rows}</tbody></table>
  </details>`;
}

function totalCard(label: string, value: string): string {
  return `<div class="card"><span class="value">${escapeHtml(value)}</span><span class="label">${escapeHtml(label)}</span></div>`;
}

function shortPrincipal(arn: string): string {
  const parts = (arn.split(":").at(-1) ?? arn).split("/");
  return parts.length > 2 ? parts.slice(-2).join("/") : parts.join("/");
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}
