import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RateBudget } from '../../../integrations/tiktok/client';
import { TikTokInvalidRequest } from '../../../integrations/tiktok/errors';
import { createOrderDetailReader } from '../../../integrations/tiktok/orderDetailReader';
import { SHOP, envelope, jsonResponse, makeClient, type RecordedRequest } from './fakeTikTok';

/** A budget whose tokens are handed out by the test (`grant`), recording each acquire. */
function gatedBudget() {
  const pending: (() => void)[] = [];
  const calls: { api: string; deadline?: Date }[] = [];
  const budget: RateBudget = {
    acquire(input) {
      calls.push({ api: input.api, ...(input.deadline ? { deadline: input.deadline } : {}) });
      return new Promise<void>((resolve) => pending.push(resolve));
    },
  };
  const grant = async () => {
    pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { budget, calls, grant, waiting: () => pending.length };
}

const idsOf = (req: RecordedRequest) => req.url.searchParams.get('ids')!.split(',');

/** Answers Get Order Detail with every asked id except those in `missing`. */
function ordersFor(missing: string[] = []) {
  return (req: RecordedRequest) =>
    jsonResponse(
      200,
      envelope(0, {
        orders: idsOf(req)
          .filter((id) => !missing.includes(id))
          .map((id) => ({ id, status: 'AWAITING_SHIPMENT', line_items: [] })),
      }),
    );
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

void test('an idle shop’s read goes out alone, with its deadline in the budget', async () => {
  const gate = gatedBudget();
  const tc = makeClient([ordersFor()], { budget: gate.budget });
  const reader = createOrderDetailReader(tc.client);
  const deadline = new Date(Date.now() + 5_000);
  const read = reader.read(SHOP, '101', { deadline });
  await flush();
  assert.equal(gate.calls.length, 1);
  assert.equal(gate.calls[0]!.api, 'GET /order/202309/orders');
  assert.equal(gate.calls[0]!.deadline?.getTime(), deadline.getTime());
  await gate.grant();
  assert.equal((await read)?.id, '101');
  assert.equal(tc.requests.length, 1);
  assert.deepEqual(idsOf(tc.requests[0]!), ['101']);
  assert.equal(gate.calls.length, 1, 'the reserved token is not taken a second time');
});

void test('reads made while a call waits for its token share it, up to 50 ids, earliest deadline first', async () => {
  const gate = gatedBudget();
  const tc = makeClient([ordersFor(['missing'])], { budget: gate.budget });
  const reader = createOrderDetailReader(tc.client);
  const now = Date.now();
  const reads = new Map<string, Promise<unknown>>();
  // 60 reads without a deadline, then 10 urgent ones, one id twice, one TikTok does not return.
  for (let i = 0; i < 60; i++) reads.set(`n${i}`, reader.read(SHOP, String(1000 + i)));
  for (let i = 0; i < 10; i++) {
    reads.set(`u${i}`, reader.read(SHOP, String(2000 + i), { deadline: new Date(now + 1000 * (10 - i)) }));
  }
  const twice = [reader.read(SHOP, '1000'), reader.read(SHOP, 'missing')];
  await flush();
  assert.equal(gate.calls.length, 1, 'one call forms for all of them');
  await gate.grant();
  await flush();
  assert.equal(tc.requests.length, 1);
  const first = idsOf(tc.requests[0]!);
  assert.equal(first.length, 50);
  assert.deepEqual(
    first.slice(0, 10),
    Array.from({ length: 10 }, (_, i) => String(2009 - i)),
    'urgent reads first, by deadline',
  );
  assert.deepEqual(
    first.slice(10),
    Array.from({ length: 40 }, (_, i) => String(1000 + i)),
  );
  assert.equal(gate.calls.length, 2, 'the next call forms while the first is on the wire');
  assert.equal(gate.calls[1]!.deadline, undefined);
  await gate.grant();
  const results = await Promise.all([...reads.values(), ...twice]);
  assert.equal(tc.requests.length, 2);
  assert.deepEqual(idsOf(tc.requests[1]!), [...Array.from({ length: 20 }, (_, i) => String(1040 + i)), 'missing']);
  assert.equal((results[0] as { id: string }).id, '1000');
  assert.equal((results[70] as { id: string }).id, '1000', 'the same id read twice: one id in the call, both answered');
  assert.equal(results[71], undefined, 'an order TikTok does not return');
  assert.equal(gate.waiting(), 0, 'no call forms once nobody waits');
});

void test('a failed call fails the reads it carried and no others; a malformed id fails alone', async () => {
  const gate = gatedBudget();
  let calls = 0;
  const tc = makeClient(
    [
      (req) => {
        calls += 1;
        return calls === 1 ? jsonResponse(200, envelope(99999999, {}, 'some failure')) : ordersFor()(req);
      },
    ],
    { budget: gate.budget },
  );
  const reader = createOrderDetailReader(tc.client, { maxIds: 2 });
  await assert.rejects(reader.read(SHOP, ''), TikTokInvalidRequest);
  const reads = ['1', '2', '3'].map((id) => reader.read(SHOP, id));
  const settled = Promise.allSettled(reads);
  await flush();
  await gate.grant();
  await gate.grant();
  const outcomes = (await settled).map((r) => (r.status === 'fulfilled' ? r.value?.id : 'rejected'));
  assert.deepEqual(outcomes, ['rejected', 'rejected', '3'], 'the next call carries the third read');
});
