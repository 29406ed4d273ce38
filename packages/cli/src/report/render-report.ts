import type { RegionImageRecord, VersionRecord } from "@ami-lifecycle/core";
import type { PlanDocument, PlanDocumentDecision } from "../planning/plan-document";
import type { RegistryFamily } from "../planning/registry-view";
import type { TimelineEntry } from "../sandbox/timeline";
import { reportStyles } from "./styles";

/** Everything the HTML report shows. */
export interface ReportInput {
  /** "sandbox" or the account label */
  source: string;
  generatedAt: string;
  regions: readonly string[];
  registry: readonly RegistryFamily[];
  plan: PlanDocument;
  /** the sandbox's story, when the report is of a sandbox run */
  timeline?: readonly TimelineEntry[];
}

/**
 * A self-contained HTML page (inline CSS, no scripts, no external assets): per family, the versions ×
 * regions with each image's state, the version's stage and why it is kept or what retirement does next,
 * then the latest plan.
 */
export function renderReport(input: ReportInput): string {
  const { plan } = input;
  const families = input.registry.map((family) => familySection(family, input.regions, plan)).join("\n");
  const totals = plan.totals;
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
  </section>
</header>
<main>
${families}
${planSection(plan)}
${input.timeline ? timelineSection(input.timeline) : ""}
</main>
<footer>Legend: <span class="state state-available">available</span> <span class="state state-pending">pending</span> <span class="state state-failed">failed</span> <span class="state state-disabled">disabled</span> <span class="state state-deregistered">deregistered</span>. Stages only move forward: active → deprecated → disabled → deregistered.</footer>
</body>
</html>
`;
}

function familySection(family: RegistryFamily, regions: readonly string[], plan: PlanDocument): string {
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
        <td><span class="badge stage stage-badge-${version.stage}">${version.stage}</span>${version.withdrawn ? ' <span class="badge withdrawn">withdrawn</span>' : ""}</td>
        ${cells}
        <td class="reason">${reasonCell(decided)}</td>
      </tr>`;
}

function regionCell(record: RegionImageRecord | undefined): string {
  if (!record) return '<td class="empty">—</td>';
  const failure = record.failureReason
    ? `<br><span class="failure">${escapeHtml(record.failureReason)}</span>`
    : "";
  return `<td><span class="state state-${record.state}">${record.state}</span><br><code>${escapeHtml(record.imageId ?? "(none)")}</code>${record.role === "copy" && record.copyAttempts > 1 ? `<br><span class="muted">${record.copyAttempts} attempts</span>` : ""}${failure}</td>`;
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

function timelineSection(timeline: readonly TimelineEntry[]): string {
  const rows = timeline
    .map(
      (entry) =>
        `<tr class="kind-${entry.kind} status-${entry.status}"><td>${escapeHtml(entry.time.slice(0, 16).replace("T", " "))}</td><td>${escapeHtml(entry.region)}</td><td>${escapeHtml(entry.event)}</td><td>${escapeHtml(entry.outcome).replaceAll("\n", "<br>")}</td></tr>`,
    )
    .join("\n");
  return `<section class="timeline" id="timeline">
  <details>
    <summary><h2>Sandbox timeline <small>${timeline.length} entries</small></h2></summary>
    <table><thead><tr><th>Time</th><th>Region</th><th>What happened</th><th>What the service did</th></tr></thead><tbody>${rows}</tbody></table>
  </details>
</section>`;
}

function totalCard(label: string, value: string): string {
  return `<div class="card"><span class="value">${escapeHtml(value)}</span><span class="label">${escapeHtml(label)}</span></div>`;
}

function shortArns(message: string): string {
  return message.replace(/arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:/g, "");
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
