import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { TypedSearchAttributes, type SearchAttributeType } from '@temporalio/common';
import { REPO_ROOT } from '../../config';
import {
  ALL_SEARCH_ATTRIBUTES,
  caseSearchAttributes,
  RETIRED_SEARCH_ATTRIBUTES,
  SEARCH_ATTRIBUTE_BUDGET,
  SQL_VISIBILITY_SLOTS,
} from '../../workflows/shared/searchAttributes';
import { nextDeadline } from '../../workflows/orderAcknowledgment/dispatchClock';

// The one shared set of search attributes (issue 14 item 3): within its documented budget, documented in README.md,
// and the only attributes any workflow publishes.
const SET_FILE = path.join('workflows', 'shared', 'searchAttributes.ts');
const NAMES = new Set<string>(ALL_SEARCH_ATTRIBUTES.map((k) => k.name));
const TYPES = Object.keys(SQL_VISIBILITY_SLOTS) as SearchAttributeType[];
const countOf = (type: SearchAttributeType) => ALL_SEARCH_ATTRIBUTES.filter((k) => k.type === type).length;
const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('### Search attributes'),
  readme.indexOf('\n## ', readme.indexOf('### Search attributes')),
);

test('the set stays within its budget, and the budget within the SQL visibility slots', () => {
  assert.equal(NAMES.size, ALL_SEARCH_ATTRIBUTES.length, 'names are unique');
  for (const type of TYPES) {
    assert.ok(countOf(type) <= SEARCH_ATTRIBUTE_BUDGET[type], `${type}: ${countOf(type)} over the budget`);
    assert.ok(SEARCH_ATTRIBUTE_BUDGET[type] <= SQL_VISIBILITY_SLOTS[type], `${type}: budget over the slots`);
  }
  for (const name of RETIRED_SEARCH_ATTRIBUTES) assert.ok(!NAMES.has(name), `${name} is retired, not in the set`);
});

test('README.md documents the budget and the set, row for row', () => {
  assert.ok(section.startsWith('### Search attributes'), 'README has a "Search attributes" section');
  for (const type of TYPES) {
    const label = TypedSearchAttributes.toMetadataType(type);
    const budget = SEARCH_ATTRIBUTE_BUDGET[type];
    const slots = SQL_VISIBILITY_SLOTS[type];
    if (budget > 0)
      assert.match(section, new RegExp(`\\b${budget}\\s+of\\s+the\\s+${slots}\\s+${label}\\s+slots`), label);
    else assert.match(section, new RegExp(`none\\s+of\\s+the\\s[^.]*\\b${slots}\\s+${label}\\b`), label);
  }
  const rows = [...section.matchAll(/^\| `(\w+)`\s*\| (\w+)\s*\|/gm)].map(([, name, type]) => `${name}=${type}`);
  const expected = ALL_SEARCH_ATTRIBUTES.map((k) => `${k.name}=${TypedSearchAttributes.toMetadataType(k.type)}`);
  assert.deepEqual(rows.sort(), expected.sort());
});

test('a case upsert sets what it is given, removes what is null, and only from the set', () => {
  const pairs = caseSearchAttributes({
    shopId: '7495',
    caseId: 'o1',
    stage: 'AWAITING_SHIPMENT',
    risk: 'on_track',
    nextDeadline: null,
    hardDeadline: '2026-12-30T08:00:00.000Z',
  });
  const byName = Object.fromEntries(pairs.map((p) => [p.key.name, p.value]));
  assert.deepEqual(byName, {
    ShopId: '7495',
    CaseId: 'o1',
    CaseStage: 'AWAITING_SHIPMENT',
    CaseRisk: 'on_track',
    NextDeadline: null,
    HardDeadline: new Date('2026-12-30T08:00:00.000Z'),
  });
  const all = caseSearchAttributes({
    shopId: 's',
    region: 'US',
    kind: 'k',
    caseId: 'c',
    stage: 'x',
    risk: 'late',
    nextDeadline: '2026-12-30T08:00:00.000Z',
    hardDeadline: '2026-12-30T08:00:00.000Z',
  });
  assert.deepEqual(all.map((p) => p.key.name).sort(), [...NAMES].sort(), 'every attribute has its field');
  for (const p of all)
    assert.equal(
      p.key,
      ALL_SEARCH_ATTRIBUTES.find((k) => k.name === p.key.name),
      p.key.name,
    );
});

test("the order's next deadline: ready to ship, then the carrier scan once marked shipped, none once done", () => {
  const d = { readyToShipBy: '2026-12-29T08:00:00.000Z', carrierScanBy: '2026-12-30T08:00:00.000Z' };
  assert.equal(nextDeadline('AWAITING_SHIPMENT', 'on_track', d), d.readyToShipBy);
  assert.equal(nextDeadline('PARTIALLY_SHIPPING', 'at_risk', d), d.readyToShipBy);
  assert.equal(nextDeadline('AWAITING_COLLECTION', 'at_risk', d), d.carrierScanBy);
  assert.equal(nextDeadline('AWAITING_COLLECTION', 'late', d), d.carrierScanBy);
  assert.equal(nextDeadline('IN_TRANSIT', 'done', d), null);
  assert.equal(nextDeadline('CANCELLED', 'done', d), null);
});

/** Product and script sources (not tests, dependencies or build output). */
function sources(dir = REPO_ROOT, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || ['node_modules', 'dist', 'test'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sources(full, out);
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

test('search attribute keys are defined, and upserted, in the shared file only', () => {
  const files = sources();
  assert.ok(
    files.some((f) => f.endsWith(SET_FILE)),
    `${SET_FILE} is among the sources`,
  );
  for (const file of files) {
    if (file.endsWith(SET_FILE)) continue;
    const code = fs.readFileSync(file, 'utf8');
    const rel = path.relative(REPO_ROOT, file);
    assert.doesNotMatch(code, /defineSearchAttributeKey\(/, `${rel} defines a search attribute of its own`);
    assert.doesNotMatch(code, /upsertSearchAttributes\(/, `${rel} upserts around upsertCaseAttributes`);
    // The deprecated untyped form (`searchAttributes: { Name: [value] }`) would bypass the typed keys.
    assert.doesNotMatch(code, /\bsearchAttributes:\s*\{/, `${rel} sets untyped search attributes`);
  }
});

// System attributes the SDK itself upserts: patched() records TemporalChangeVersion (after the first release).
const SYSTEM = new Set(['TemporalChangeVersion', 'BuildIds']);

test('every attribute a recorded workflow history sets or upserts is in the set', () => {
  const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'histories');
  type Fields = { searchAttributes?: { indexedFields?: Record<string, unknown> } };
  interface Event {
    workflowExecutionStartedEventAttributes?: Fields;
    upsertWorkflowSearchAttributesEventAttributes?: Fields;
    workflowExecutionContinuedAsNewEventAttributes?: Fields;
  }
  const seen = new Set<string>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const { history } = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { history: { events: Event[] } };
    for (const e of history.events) {
      const fields = [
        e.workflowExecutionStartedEventAttributes,
        e.upsertWorkflowSearchAttributesEventAttributes,
        e.workflowExecutionContinuedAsNewEventAttributes,
      ].flatMap((a) => Object.keys(a?.searchAttributes?.indexedFields ?? {}));
      for (const name of fields) {
        assert.ok(NAMES.has(name) || SYSTEM.has(name), `${file}: ${name} is not in the shared set`);
        seen.add(name);
      }
    }
  }
  // Not vacuous: the fixtures do publish the order's and the shop's attributes.
  for (const name of ['ShopId', 'ShopRegion', 'CaseId', 'CaseStage', 'CaseRisk', 'NextDeadline', 'HardDeadline'])
    assert.ok(seen.has(name), `a fixture publishes ${name}`);
});
