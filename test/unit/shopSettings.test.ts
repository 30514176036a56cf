// Shop settings (issue 15 item 2): the schema, its defaults and how a change merges into what a shop has.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import {
  changedPaths,
  DEFAULT_SHOP_SETTINGS,
  effectiveShopSettings,
  mergeShopSettings,
  parseDuration,
  sameJson,
  shopSettingsSchema,
  type ShopSettings,
  type ShopSettingsPatch,
} from '../../shopSettings/schema';

/** The issues of parsing the defaults with `patch` merged in, as "path: message" strings. */
function issuesOf(patch: ShopSettingsPatch): string[] {
  const res = shopSettingsSchema.safeParse(mergeShopSettings(DEFAULT_SHOP_SETTINGS, patch));
  return res.success ? [] : res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const optedIn = (autoApprove: NonNullable<ShopSettingsPatch['returns']>['autoApprove']): ShopSettingsPatch => ({
  returns: { autoApprove },
});

test('the defaults are valid and conservative: no auto-approval, escalations at 24h and 6h, critical at 1h', () => {
  assert.deepEqual(shopSettingsSchema.parse(DEFAULT_SHOP_SETTINGS), DEFAULT_SHOP_SETTINGS);
  assert.equal(DEFAULT_SHOP_SETTINGS.returns.autoApprove.enabled, false);
  assert.deepEqual(DEFAULT_SHOP_SETTINGS.returns.autoApprove.types, ['REFUND']);
  assert.deepEqual(DEFAULT_SHOP_SETTINGS.returns.escalations, [
    { beforeDeadline: '24h', severity: 'warning' },
    { beforeDeadline: '6h', severity: 'warning' },
  ]);
  assert.equal(DEFAULT_SHOP_SETTINGS.returns.criticalBeforeDeadline, '1h');
  assert.equal(DEFAULT_SHOP_SETTINGS.reconciliation.returnsEvery, '15m');
  assert.ok(DEFAULT_SHOP_SETTINGS.paging.critical.length > 0, 'someone is paged for critical cases');
  // A shop that never saved settings runs on exactly the defaults.
  assert.deepEqual(effectiveShopSettings(undefined), DEFAULT_SHOP_SETTINGS);
});

test('durations are ms-format strings; zero, negative, unit-less and garbage ones are refused at their path', () => {
  assert.deepEqual(parseDuration('48h'), { ms: 48 * 3_600_000 });
  assert.deepEqual(parseDuration('2.5s'), { ms: 2500 });
  assert.deepEqual(parseDuration('30m'), { ms: 1_800_000 });
  const at = (value: string) => issuesOf({ returns: { criticalBeforeDeadline: value } });
  assert.deepEqual(at('90m'), []);
  assert.deepEqual(at('0s'), ["returns.criticalBeforeDeadline: '0s' must be longer than zero"]);
  assert.deepEqual(at('-1h'), ["returns.criticalBeforeDeadline: '-1h' must be longer than zero"]);
  assert.deepEqual(at('soon'), [
    "returns.criticalBeforeDeadline: 'soon' is not a duration: write a number and a unit, e.g. '48h', '30m', '2.5s'",
  ]);
  assert.deepEqual(at('24'), ["returns.criticalBeforeDeadline: '24' has no unit: write e.g. '24h', '24m' or '24s'"]);
  assert.equal(at('').length, 1);
  assert.deepEqual(
    issuesOf({ returns: { escalations: [{ beforeDeadline: '1 fortnight', severity: 'warning' }] } }).map(
      (i) => i.split(':')[0],
    ),
    ['returns.escalations.0.beforeDeadline'],
  );
  // The reconciliation interval is a Schedule's: at least a second.
  assert.deepEqual(issuesOf({ reconciliation: { returnsEvery: '500ms' } }), [
    "reconciliation.returnsEvery: '500ms' is shorter than 1000 ms",
  ]);
  assert.deepEqual(issuesOf({ reconciliation: { returnsEvery: '5s' } }), []);
});

test('the refund limit is a decimal string with at most two decimals and an ISO currency', () => {
  const limit = (amount: string, currency = 'USD') =>
    issuesOf(optedIn({ enabled: true, maxRefund: { amount, currency }, reasons: ['r'] }));
  for (const ok of ['25', '25.5', '25.00', '0.01']) assert.deepEqual(limit(ok), [], ok);
  for (const bad of ['25.001', '-1', '1e3', '25.', '.5', ' 25', 'twenty']) {
    assert.deepEqual(
      limit(bad).map((i) => i.split(':')[0]),
      ['returns.autoApprove.maxRefund.amount'],
      bad,
    );
  }
  assert.deepEqual(
    limit('25', 'usd').map((i) => i.split(':')[0]),
    ['returns.autoApprove.maxRefund.currency'],
  );
});

test('auto-approval covers refund-only requests, and when enabled names a limit and reasons', () => {
  assert.deepEqual(
    issuesOf(optedIn({ types: ['RETURN_AND_REFUND'] } as never)).map((i) => i.split(':')[0]),
    ['returns.autoApprove.types.0'],
  );
  assert.deepEqual(issuesOf(optedIn({ enabled: true })), [
    'returns.autoApprove.maxRefund.amount: auto-approve is enabled: set a limit above 0',
    'returns.autoApprove.reasons: auto-approve is enabled: list at least one reason',
  ]);
  assert.deepEqual(issuesOf(optedIn({ enabled: true, maxRefund: { amount: '20' }, reasons: ['a'], types: [] })), [
    "returns.autoApprove.types: auto-approve is enabled: list the type 'REFUND'",
  ]);
  assert.deepEqual(issuesOf(optedIn({ enabled: true, maxRefund: { amount: '20' }, reasons: ['a', 'a'] })), [
    'returns.autoApprove.reasons.1: the name "a" is listed twice',
  ]);
});

test('escalations are kept latest-offset first, and one offset twice (in any unit) is refused', () => {
  const parsed = shopSettingsSchema.parse(
    mergeShopSettings(DEFAULT_SHOP_SETTINGS, {
      returns: {
        escalations: [
          { beforeDeadline: '30m', severity: 'critical' },
          { beforeDeadline: '2d', severity: 'warning' },
          { beforeDeadline: '3h', severity: 'warning' },
        ],
      },
    }),
  );
  assert.deepEqual(
    parsed.returns.escalations.map((e) => e.beforeDeadline),
    ['2d', '3h', '30m'],
  );
  assert.deepEqual(
    issuesOf({
      returns: {
        escalations: [
          { beforeDeadline: '1h', severity: 'warning' },
          { beforeDeadline: '60m', severity: 'critical' },
        ],
      },
    }),
    ['returns.escalations.1: the offset (ms) 3600000 is listed twice'],
  );
  assert.deepEqual(issuesOf({ returns: { escalations: [] } }), [], 'no escalation at all is a choice');
});

test('unknown settings and missing critical recipients are refused', () => {
  assert.deepEqual(
    issuesOf({ returns: { autoAprove: { enabled: true } } } as never).map((i) => i.split(':')[0]),
    ['returns'],
  );
  assert.match(issuesOf({ returns: { autoAprove: {} } } as never)[0]!, /autoAprove/);
  assert.deepEqual(issuesOf({ paging: { critical: [] } }), [
    'paging.critical: name at least one recipient of critical pages',
  ]);
  assert.deepEqual(issuesOf({ paging: { warning: [] } }), []);
  // A JSON key "__proto__" is a key like any other (refused), not the merged object's prototype.
  const hostile = JSON.parse('{"__proto__": {"enabled": true}}') as ShopSettingsPatch;
  const merged = mergeShopSettings(DEFAULT_SHOP_SETTINGS, hostile);
  assert.equal(Object.getPrototypeOf(merged), Object.prototype);
  assert.equal(shopSettingsSchema.safeParse(merged).success, false);
});

test('merging: objects key by key, arrays replaced whole, null back to the default, nothing mutated', () => {
  const base: ShopSettings = shopSettingsSchema.parse(
    mergeShopSettings(DEFAULT_SHOP_SETTINGS, {
      returns: { autoApprove: { enabled: true, maxRefund: { amount: '30' }, reasons: ['a', 'b'] } },
      paging: { warning: ['ops-a', 'ops-b'] },
    }),
  );
  assert.deepEqual(base.returns.autoApprove.maxRefund, { amount: '30', currency: 'USD' });
  assert.deepEqual(base.returns.escalations, DEFAULT_SHOP_SETTINGS.returns.escalations);
  const snapshot = JSON.stringify(base);

  const next = mergeShopSettings(base, {
    returns: { autoApprove: { reasons: ['c'] } },
    paging: { warning: ['ops-c'], critical: null },
  });
  assert.deepEqual(next.returns.autoApprove.reasons, ['c'], 'a list is replaced, not appended to');
  assert.equal(next.returns.autoApprove.enabled, true, 'siblings of a changed field stay');
  assert.deepEqual(next.returns.autoApprove.maxRefund, { amount: '30', currency: 'USD' });
  assert.deepEqual(next.paging, { warning: ['ops-c'], critical: DEFAULT_SHOP_SETTINGS.paging.critical });
  assert.equal(JSON.stringify(base), snapshot, 'the base is not changed');

  // null on a whole group restores the group's defaults.
  assert.deepEqual(mergeShopSettings(base, { returns: null }).returns, DEFAULT_SHOP_SETTINGS.returns);
  assert.deepEqual(mergeShopSettings(base, {}), base);
  assert.deepEqual(mergeShopSettings(base, undefined), base);
  // The defaults are shared: nobody changes them by accident.
  assert.throws(() => {
    DEFAULT_SHOP_SETTINGS.paging.critical.push('someone');
  }, TypeError);
});

test('stored settings missing a newer field run with its default; changed paths name what differs', () => {
  const older = { returns: { autoApprove: { enabled: false } }, paging: { warning: [], critical: ['me'] } };
  const effective = effectiveShopSettings(older);
  assert.deepEqual(effective.reconciliation, DEFAULT_SHOP_SETTINGS.reconciliation);
  assert.deepEqual(effective.paging, { warning: [], critical: ['me'] });
  assert.throws(() => effectiveShopSettings({ returns: { criticalBeforeDeadline: '0s' } }), /longer than zero/);

  assert.deepEqual(changedPaths(DEFAULT_SHOP_SETTINGS, effective), ['paging.critical', 'paging.warning']);
  assert.deepEqual(changedPaths(effective, effective), []);
  assert.ok(sameJson({ a: [1, { b: 2 }], c: 'x' }, { c: 'x', a: [1, { b: 2 }] }));
  assert.ok(!sameJson({ a: [1, 2] }, { a: [2, 1] }));
  assert.ok(!sameJson({ a: 1 }, { a: 1, b: undefined }));
});

test('every setting has a description: the JSON Schema of the settings is their reference', () => {
  type Node = { type?: string; description?: string; properties?: Record<string, Node>; items?: Node };
  const undocumented: string[] = [];
  const walk = (node: Node, at: string) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (!child.description) undocumented.push(`${at}${key}`);
      walk(child, `${at}${key}.`);
    }
    if (node.items) walk(node.items, `${at}[].`);
  };
  const schema = z.toJSONSchema(shopSettingsSchema) as Node;
  walk(schema, '');
  assert.deepEqual(undocumented, []);
  assert.match(schema.properties!.returns!.properties!.criticalBeforeDeadline!.description!, /critical/);
});
