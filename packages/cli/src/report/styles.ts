/** The report's whole stylesheet, inlined so the page needs nothing else. */
export const reportStyles = `
:root { color-scheme: light; --ink: #1d2433; --muted: #667085; --line: #e4e7ec; --bg: #f7f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header { background: #0f2747; color: #fff; padding: 24px 32px 20px; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header .meta { margin: 0 0 16px; color: #c9d4e5; }
main { padding: 8px 32px 32px; }
section.family, section.plan, section.timeline, section.storage { background: #fff; border: 1px solid var(--line); border-radius: 10px; margin: 20px 0; padding: 16px 20px; }
h2 { font-size: 18px; margin: 0 0 12px; }
h2 small { font-weight: 400; color: var(--muted); font-size: 13px; margin-left: 8px; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: 8px 10px; border-top: 1px solid var(--line); }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); border-top: 0; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; white-space: nowrap; }
.name { font-size: 12px; }
.muted { color: var(--muted); font-size: 12px; }
.failure { color: #b42318; font-size: 12px; }
.empty { color: var(--muted); }
.reason ul { margin: 6px 0 0; padding-left: 18px; }
.reason li { font-size: 12px; }
.totals { display: flex; gap: 12px; flex-wrap: wrap; }
.card { background: rgba(255,255,255,.1); border-radius: 8px; padding: 8px 14px; min-width: 110px; }
.card .value { display: block; font-size: 22px; font-weight: 700; }
.card .label { font-size: 12px; color: #c9d4e5; }
.badge, .state { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px; font-weight: 600; }
.state-available { background: #dcfae6; color: #067647; }
.state-pending, .state-copy-waiting { background: #e0f2fe; color: #026aa2; }
.state-failed, .state-missing { background: #fee4e2; color: #b42318; }
.state-disabled { background: #f4ebff; color: #6941c6; }
.state-deregistered { background: #f2f4f7; color: #475467; text-decoration: line-through; }
.state-recoverable { background: #eff8ff; color: #175cd3; text-decoration: line-through dotted; }
.stage-badge-active { background: #dcfae6; color: #067647; }
.stage-badge-deprecated { background: #fef0c7; color: #b54708; }
.stage-badge-disabled { background: #f4ebff; color: #6941c6; }
.stage-badge-deregistered { background: #f2f4f7; color: #475467; }
.withdrawn { background: #fee4e2; color: #b42318; }
.action-keep { background: #dcfae6; color: #067647; }
.action-wait { background: #f2f4f7; color: #475467; }
.action-deprecate { background: #fef0c7; color: #b54708; }
.action-disable { background: #f4ebff; color: #6941c6; }
.action-deregister { background: #fee4e2; color: #b42318; }
.mode-dry-run { background: #e0f2fe; color: #026aa2; }
.mode-enforce { background: #fef0c7; color: #b54708; }
tr.stage-deregistered td { opacity: .6; }
.summaries { margin: 0 0 12px; padding-left: 18px; }
details summary { cursor: pointer; list-style: none; }
details summary h2 { display: inline; }
.timeline td { font-size: 12px; }
.status-failed td { color: #b42318; }
footer { padding: 0 32px 32px; color: var(--muted); font-size: 12px; }

figure.chart { margin: 8px 0 16px; overflow-x: auto; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figure.chart figcaption { color: var(--muted); font-size: 12px; }
table.data caption { text-align: left; color: var(--muted); font-size: 12px; padding: 4px 0 8px; }
details.data summary { color: var(--muted); font-size: 12px; margin: 8px 0; }
@media (prefers-color-scheme: dark) {
  :root { color-scheme: dark; --ink: #e4e7ec; --muted: #98a2b3; --line: #344054; --bg: #0c111d; }
  section.family, section.plan, section.timeline, section.storage { background: #161b26; }
  header { background: #0b1a30; }
  .state-available, .stage-badge-active, .action-keep { background: #053321; color: #75e0a7; }
  .state-pending, .state-copy-waiting, .mode-dry-run { background: #062c41; color: #7cd4fd; }
  .state-failed, .state-missing, .withdrawn, .action-deregister { background: #55160c; color: #fda29b; }
  .failure, .status-failed td { color: #fda29b; }
  .state-disabled, .stage-badge-disabled, .action-disable { background: #27115f; color: #bdb4fe; }
  .state-deregistered, .stage-badge-deregistered, .action-wait { background: #1f242f; color: #98a2b3; }
  .state-recoverable { background: #102a56; color: #84caff; }
  .stage-badge-deprecated, .action-deprecate, .mode-enforce { background: #4e1d09; color: #fec84b; }
}
@media print {
  :root { --bg: #fff; }
  header { background: none; color: #000; padding: 0 0 12px; }
  header .meta, .card .label { color: #333; }
  .card { border: 1px solid #ccc; }
  main { padding: 0; }
  section.family, section.plan, section.timeline, section.storage { break-inside: avoid-page; border: 0; padding: 0; }
  details::details-content { content-visibility: visible; display: block; }
}
`;
