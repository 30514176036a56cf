// The returns benchmark's plan and simulated person (bench/returnsWorld.ts): the same seed gives the same requests and
// answers; the mix follows the shares; a slow person answers only after a page, and each answer is handed out once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HOUR, SimulatedPerson, makeReturnsPlan, returnsParams } from '../../bench/returnsWorld';

test('the plan: same seed, same plan; the mix and the delays follow the parameters', () => {
  const params = returnsParams({ quick: false, seed: 3 });
  const a = makeReturnsPlan(params);
  assert.deepEqual(a, makeReturnsPlan(params));
  assert.notDeepEqual(a, makeReturnsPlan({ ...params, seed: 4 }));
  assert.equal(a.length, 1000);
  const share = (kind: string) => a.filter((p) => p.kind === kind).length / a.length;
  assert.ok(Math.abs(share('auto') - 0.4) < 0.05 && Math.abs(share('shipBack') - 0.15) < 0.04, 'mix');
  assert.ok(
    a.every((p, i) => i === 0 || p.at >= a[i - 1]!.at),
    'opened in order',
  );
  assert.ok(a.every((p) => p.at < params.openOverMs));
  assert.ok(a.filter((p) => p.kind === 'auto').every((p) => p.type === 'REFUND' && p.price === 'low' && !p.slow));
  assert.ok(
    a.filter((p) => p.slow).every((p) => p.answerDelayMs > 48 * HOUR),
    'slow persons answer after the window',
  );
  assert.ok(a.filter((p) => !p.slow).every((p) => p.answerDelayMs <= 36 * HOUR));
  assert.equal(makeReturnsPlan(returnsParams({ quick: true })).filter((p) => p.slow).length, 0);
});

test('the person: answers after the compressed delay, once; a page brings a slow answer forward', () => {
  const plan = makeReturnsPlan(returnsParams({ quick: false, seed: 5 }));
  const slow = plan.find((p) => p.slow && p.kind === 'person')!;
  const quick = plan.find((p) => !p.slow && p.kind === 'person')!;
  const planOf = (id: string) => (id === 'S' ? slow : id === 'Q' ? quick : undefined);
  const c = 1000;
  const person = new SimulatedPerson(c, planOf);
  person.see('S', 'SELLER_RESPOND_REFUND', 0);
  person.see('Q', 'SELLER_RESPOND_REFUND', 0);
  person.see('Q', 'SELLER_RESPOND_REFUND', 5); // seen again: nothing changes
  person.see('X', 'SELLER_RESPOND_REFUND', 0); // not in the plan: ignored
  assert.deepEqual(person.due(quick.answerDelayMs / c - 1), []);
  assert.deepEqual(
    person.due(quick.answerDelayMs / c).map((a) => [a.returnId, a.decision]),
    [['Q', quick.decision]],
  );
  assert.deepEqual(person.due(quick.answerDelayMs / c + 1), [], 'handed out once');
  const pagedAt = 10;
  person.paged('S', pagedAt);
  assert.equal(person.pages, 1);
  assert.deepEqual(
    person.due(pagedAt + slow.pagedDelayMs / c).map((a) => a.returnId),
    ['S'],
  );
});
