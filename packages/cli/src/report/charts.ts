import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { FamilyLifelines } from "./lifelines";
import type { StorageReport } from "./storage-history";

// Charts are Vega-Lite specs rendered to static SVG when the report is written: the page needs no script,
// and text and axes use `currentColor` so one SVG reads in light mode, dark mode and print.

/** Colours of the lifecycle stages, shared by the lifelines and the legend. */
export const stageColours = {
  available: "#12b76a",
  deprecated: "#f79009",
  disabled: "#7a5af8",
  deregistered: "#98a2b3",
  restorable: "#84caff",
} as const;

const markColours = {
  "copy-failed": "#d92d20",
  withdrawn: "#c11574",
  deregistered: "#667085",
  "pointer-moved": "#1570ef",
} as const;

/** A rendered chart: the figure element with its SVG, named for tests and screen readers. */
export interface RenderedChart {
  html: string;
}

/** Attributes that say what a chart shows, for tests (`data-*`) and for assistive technology. */
interface ChartIdentity {
  chart: string;
  label: string;
  caption: string;
  attributes: Record<string, string>;
}

/** Snapshot storage per family now, stacked by region. */
export async function storageNowChart(storage: StorageReport): Promise<RenderedChart> {
  const values = storage.regions
    .filter((region) => region.gib > 0)
    .map((region) => ({
      family: region.family,
      region: region.region,
      gib: region.gib,
      text: `${region.family} in ${region.region}: ${region.gib} GiB, ${money(region.monthlyCost, storage.currency)} a month`,
    }));
  const regions = [...new Set(values.map((value) => value.region))];
  return renderChart(
    {
      data: { values },
      mark: { type: "bar" },
      width: 640,
      encoding: {
        y: { field: "family", type: "nominal", title: null },
        x: { aggregate: "sum", field: "gib", type: "quantitative", title: "snapshot GiB now" },
        color: { field: "region", type: "nominal", title: "region", scale: { scheme: "tableau10" } },
        description: { field: "text" },
      },
    },
    {
      chart: "storage-now",
      label: "Snapshot storage per family and region now",
      caption: `Snapshot GiB each family holds now, per region (priced at ${storage.currency} list prices of ${storage.pricesAsOf}).`,
      attributes: {
        series: regions.join(","),
        families: [...new Set(values.map((v) => v.family))].join(","),
      },
    },
  );
}

/** One family's snapshot storage over time, a stacked step area per region. */
export async function storageHistoryChart(storage: StorageReport, family: string): Promise<RenderedChart> {
  const values = storage.history
    .filter((point) => point.family === family)
    .map((point) => ({ ...point, text: `${point.region} from ${point.at.slice(0, 16)}: ${point.gib} GiB` }));
  const regions = [...new Set(values.map((value) => value.region))];
  return renderChart(
    {
      data: { values },
      width: 640,
      height: 160,
      encoding: {
        x: { field: "at", type: "temporal", title: null },
        y: { field: "gib", type: "quantitative", title: "GiB", stack: "zero" },
        color: { field: "region", type: "nominal", title: "region", scale: { scheme: "tableau10" } },
      },
      layer: [
        // Stacked: regions often hold the same GiB (copies), and lines would hide each other. No
        // per-point description here: a field that differs per point would split the area into points.
        { mark: { type: "area", interpolate: "step-after", opacity: 0.85 } },
        { mark: { type: "point", filled: true, size: 18 }, encoding: { description: { field: "text" } } },
      ],
    },
    {
      chart: "storage-history",
      label: `Snapshot storage of ${family} over time`,
      caption: `${family}: snapshot GiB over time, stacked by region, from the registry's versions and the dates of their stages.`,
      attributes: { family, series: regions.join(",") },
    },
  );
}

/** One family's version lifelines: a lane per version and region, coloured by stage, with marks. */
export async function lifelinesChart(
  lifelines: FamilyLifelines,
  options: { chart?: string; domain?: readonly [string, string] } = {},
): Promise<RenderedChart> {
  const chart = options.chart ?? "lifelines";
  const x = options.domain ? { scale: { domain: [...options.domain] } } : {};
  const spans = lifelines.spans.map((span) => ({
    ...span,
    text: `${span.lane}: ${span.stage} ${span.from.slice(0, 10)} → ${span.until.slice(0, 10)}. ${span.why}`,
  }));
  const marks = lifelines.marks.map((mark) => ({
    ...mark,
    text: `${mark.lane}: ${mark.kind}: ${mark.text}`,
  }));
  const stages = [...new Set(spans.map((span) => span.stage))];
  const y = { field: "lane", type: "nominal", sort: lifelines.lanes, title: null } as const;
  return renderChart(
    {
      width: 640,
      height: Math.max(40, lifelines.lanes.length * 16),
      layer: [
        {
          data: { values: spans },
          mark: { type: "bar", height: 10 },
          encoding: {
            y,
            x: { field: "from", type: "temporal", title: null, ...x },
            x2: { field: "until" },
            color: {
              field: "stage",
              type: "nominal",
              title: "stage",
              scale: { domain: Object.keys(stageColours), range: Object.values(stageColours) },
            },
            description: { field: "text" },
          },
        },
        {
          data: { values: marks },
          mark: { type: "point", filled: true, size: 70 },
          encoding: {
            y,
            x: { field: "at", type: "temporal", ...x },
            shape: { field: "kind", type: "nominal", title: "mark" },
            color: {
              field: "kind",
              type: "nominal",
              scale: { domain: Object.keys(markColours), range: Object.values(markColours) },
              legend: null,
            },
            description: { field: "text" },
          },
        },
      ],
      resolve: { scale: { color: "independent" } },
    },
    {
      chart,
      label: `Version lifelines of ${lifelines.family}`,
      caption: `${lifelines.family}: one lane per version and region, available → deprecated → disabled, then deregistered (a mark), restorable from the Recycle Bin until its date (a light span); copy failures, rollbacks and, in the sandbox's story, moves of the latest pointer are marks. Hover a span for why it is kept.`,
      attributes: {
        family: lifelines.family,
        lanes: String(lifelines.lanes.length),
        stages: stages.join(","),
        marks: [...new Set(marks.map((mark) => mark.kind))].sort().join(","),
      },
    },
  );
}

/** The sandbox's events on the same time axis as the lifelines: a dot per event, per region. */
export async function timelineEventsChart(
  events: readonly { time: string; region: string; kind: string; status: string; text: string }[],
  domain?: readonly [string, string],
): Promise<RenderedChart> {
  return renderChart(
    {
      data: { values: events },
      width: 640,
      height: 90,
      mark: { type: "tick", thickness: 2 },
      encoding: {
        x: {
          field: "time",
          type: "temporal",
          title: null,
          ...(domain ? { scale: { domain: [...domain] } } : {}),
        },
        y: { field: "region", type: "nominal", title: null },
        color: { field: "kind", type: "nominal", title: "what", scale: { scheme: "dark2" } },
        description: { field: "text" },
      },
    },
    {
      chart: "timeline-events",
      label: "Sandbox events over time",
      caption:
        "Every event of the sandbox's story, per region: actions on the account, events the handlers reacted to, sweeps.",
      attributes: {
        events: String(events.length),
        series: [...new Set(events.map((e) => e.kind))].join(","),
      },
    },
  );
}

async function renderChart(spec: TopLevelSpec, identity: ChartIdentity): Promise<RenderedChart> {
  const compiled = compile({
    ...spec,
    description: identity.label,
    background: "transparent",
    config: {
      font: "system-ui, sans-serif",
      view: { stroke: null },
      axis: {
        labelLimit: 260,
        labelColor: "currentColor",
        titleColor: "currentColor",
        gridColor: "#98a2b340",
        domainColor: "#98a2b3",
        tickColor: "#98a2b3",
      },
      axisTemporal: { format: "%b %d", labelOverlap: true },
      legend: { labelColor: "currentColor", titleColor: "currentColor" },
    },
  }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = withHoverTitles(await view.toSVG());
  view.finalize();
  const attributes = Object.entries(identity.attributes)
    .map(([name, value]) => ` data-${name}="${escapeAttribute(value)}"`)
    .join("");
  return {
    html: `<figure class="chart" data-chart="${identity.chart}"${attributes} role="group" aria-label="${escapeAttribute(identity.label)}">
${svg}
<figcaption>${escapeAttribute(identity.caption)}</figcaption>
</figure>`,
  };
}

/** Browsers show an SVG element's `<title>` on hover: give every data mark its description as one. */
function withHoverTitles(svg: string): string {
  return svg.replace(
    /<path aria-label="([^"]*)" role="graphics-symbol"([^>]*?)\/>/g,
    (_match, label: string, rest: string) =>
      `<path aria-label="${label}" role="graphics-symbol"${rest}><title>${label}</title></path>`,
  );
}

function money(value: number, currency: string): string {
  return `${currency} ${value.toFixed(2)}`;
}

function escapeAttribute(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
