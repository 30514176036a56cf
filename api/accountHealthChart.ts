// The trend chart of a shop's account health (GET /v1/shops/:shopId/account-health/chart.svg): a Vega spec of the
// daily snapshots of one series (the score or a metric's rate) with its thresholds as rules, rendered to SVG on the
// server by vega's headless view (renderer 'none', view.toSVG(): no canvas, no native module;
// https://vega.github.io/vega/usage/#node). The ops page can embed the SVG as it is.

/** One day of the series: the snapshot's day (YYYY-MM-DD) and its value (null: not measured that day). */
export interface ChartPoint {
  day: string;
  value: number | null;
}

/** A horizontal line across the chart: a threshold or a milestone. */
export interface ChartRule {
  value: number;
  label: string;
}

export interface AccountHealthChart {
  title: string;
  /** The y axis' title. */
  yTitle: string;
  points: ChartPoint[];
  rules: ChartRule[];
  /** Rates are drawn as percentages. */
  percent: boolean;
}

const WIDTH = 640;
const HEIGHT = 240;

/** The Vega spec of `chart` (pure: the route renders it; test/unit/accountHealthChart.test.ts checks the SVG). */
export function accountHealthChartSpec(chart: AccountHealthChart): Record<string, unknown> {
  const scale = chart.percent ? 100 : 1;
  const values = chart.points
    .filter((p) => p.value !== null)
    .map((p) => ({ day: Date.parse(`${p.day}T00:00:00Z`), value: (p.value as number) * scale }));
  const rules = chart.rules.map((r) => ({ value: r.value * scale, label: r.label }));
  const encodeXY = { x: { scale: 'x', field: 'day' }, y: { scale: 'y', field: 'value' } };
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    description: chart.title,
    width: WIDTH,
    height: HEIGHT,
    padding: 8,
    title: { text: chart.title, anchor: 'start' },
    data: [
      { name: 'points', values },
      { name: 'rules', values: rules },
      // The y domain covers the points and the rules, so a threshold far from today's values is still drawn.
      { name: 'extent', values: [...values.map((v) => ({ v: v.value })), ...rules.map((r) => ({ v: r.value }))] },
    ],
    scales: [
      { name: 'x', type: 'utc', domain: { data: 'points', field: 'day' }, range: 'width', nice: 'day' },
      { name: 'y', type: 'linear', domain: { data: 'extent', field: 'v' }, range: 'height', zero: true, nice: true },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', format: '%b %d', formatType: 'utc', labelOverlap: true },
      { orient: 'left', scale: 'y', title: chart.yTitle, grid: true },
    ],
    marks: [
      {
        type: 'rule',
        from: { data: 'rules' },
        encode: {
          enter: {
            x: { value: 0 },
            x2: { signal: 'width' },
            y: { scale: 'y', field: 'value' },
            stroke: { value: '#c0392b' },
            strokeDash: { value: [4, 4] },
          },
        },
      },
      {
        type: 'text',
        from: { data: 'rules' },
        encode: {
          enter: {
            x: { signal: 'width' },
            y: { scale: 'y', field: 'value', offset: -3 },
            align: { value: 'right' },
            text: { field: 'label' },
            fill: { value: '#c0392b' },
            fontSize: { value: 10 },
          },
        },
      },
      {
        type: 'line',
        from: { data: 'points' },
        encode: { enter: { ...encodeXY, stroke: { value: '#2c6fbb' }, strokeWidth: { value: 2 } } },
      },
      {
        type: 'symbol',
        name: 'point',
        from: { data: 'points' },
        encode: {
          enter: { ...encodeXY, size: { value: 30 }, fill: { value: '#2c6fbb' }, tooltip: { field: 'value' } },
        },
      },
    ],
  };
}

type VegaModule = {
  parse(spec: unknown): unknown;
  View: new (runtime: unknown, opts: { renderer: 'none' }) => { toSVG(): Promise<string>; finalize(): void };
};

// vega is ESM-only and Node 20 has no require(esm): tsc (CommonJS) would turn `import()` into require, so the import
// is built at run time. Loaded once, on the first chart.
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a constant import(), not code from data
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<VegaModule>;
let vegaModule: Promise<VegaModule> | undefined;

/** Renders a Vega spec to SVG text with a headless view. */
export async function renderVegaSvg(spec: Record<string, unknown>): Promise<string> {
  vegaModule ??= importEsm('vega');
  const vega = await vegaModule;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
