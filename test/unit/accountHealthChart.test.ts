// The account-health trend chart: the Vega spec of seeded daily points rendered by vega's headless view is an SVG
// document with one point symbol per measured day, the line through them and the thresholds as labelled rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountHealthChartSpec, renderVegaSvg } from '../../api/accountHealthChart';

test('the score chart of three days is an SVG with three points, the line and the milestone rule', async () => {
  const svg = await renderVegaSvg(
    accountHealthChartSpec({
      title: 'shop-1: Account Health Rating',
      yTitle: 'rating',
      points: [
        { day: '2026-12-01', value: 200 },
        { day: '2026-12-02', value: 170 },
        { day: '2026-12-03', value: 140 },
      ],
      rules: [{ value: 150, label: 'milestone 150' }],
      percent: false,
    }),
  );
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>$/);
  // One symbol per point (the mark named "point"), one line, one rule with its label, the title.
  const symbols = svg.match(/<g class="mark-symbol role-mark point"[^>]*>(.*?)<\/g>/)?.[1] ?? '';
  assert.equal((symbols.match(/<path /g) ?? []).length, 3);
  assert.equal((svg.match(/class="mark-line role-mark"/g) ?? []).length, 1);
  assert.match(svg, />milestone 150</);
  assert.match(svg, />shop-1: Account Health Rating</);
  assert.match(svg, />Dec 0?1</);
});

test('a rate chart draws percentages and leaves unmeasured days out', async () => {
  const spec = accountHealthChartSpec({
    title: 'shop-1: Late dispatch rate',
    yTitle: '% of orders',
    points: [
      { day: '2026-12-01', value: 0.02 },
      { day: '2026-12-02', value: null },
      { day: '2026-12-03', value: 0.05 },
    ],
    rules: [{ value: 0.04, label: 'enforcement max 4%' }],
    percent: true,
  });
  const data = spec.data as { name: string; values: { value: number }[] }[];
  assert.deepEqual(
    data.find((d) => d.name === 'points')!.values.map((v) => v.value),
    [2, 5],
  );
  assert.deepEqual(
    data.find((d) => d.name === 'rules')!.values.map((v) => v.value),
    [4],
  );
  const svg = await renderVegaSvg(spec);
  const symbols = svg.match(/<g class="mark-symbol role-mark point"[^>]*>(.*?)<\/g>/)?.[1] ?? '';
  assert.equal((symbols.match(/<path /g) ?? []).length, 2);
  assert.match(svg, />enforcement max 4%</);
});
