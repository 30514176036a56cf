// Issue 18 item 1: which suspension notices the product appeals. Counterfeit, intellectual-property and prohibited-
// product cases (and notices naming nothing we measure) are refused with an explanation and where to go instead;
// late dispatch, tracking and cancellations are accepted; the appeal window is the ticket's own deadline, else the
// (unverified for the US) row of policy/appealRows.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appealAssessment } from '../../activities/suspensionAppeal/content';
import { assessEligibility, noticeTime } from '../../appeal/eligibility';
import type { SuspensionNotice } from '../../appeal/model';
import { policy } from '../../policy';

const notice = (over: Partial<SuspensionNotice>): SuspensionNotice => ({
  noticeId: 'N-1',
  reason: '',
  noticeDate: '2026-11-20',
  region: 'US',
  violatedPolicy: '',
  ...over,
});

const VIOLATION_RECORDS = 'https://seller-us.tiktok.com/university/essay?knowledge_id=6291506660427575&lang=en';

test('counterfeit, intellectual property and prohibited products are refused, each with why and where to go', () => {
  const counterfeit = assessEligibility(
    notice({ violatedPolicy: 'counterfeit_goods', reason: 'Listing 1729 sells counterfeit sneakers' }),
  );
  assert.equal(counterfeit.eligible, false);
  assert.equal(counterfeit.category, 'counterfeit');
  assert.deepEqual(counterfeit.breachTypes, []);
  assert.match(counterfeit.explanation, /invoices and authorisation letters from the brand/);
  assert.deepEqual(
    counterfeit.whereToGo.map((w) => w.url),
    [
      VIOLATION_RECORDS,
      'https://seller-us.tiktok.com/university/essay?knowledge_id=6837901778306818&lang=en',
      'https://seller-us.tiktok.com/university/essay?knowledge_id=6837901778306818&lang=en',
    ],
  );
  assert.equal(counterfeit.whereToGo[2]!.name, 'An intellectual-property attorney');
  assert.equal(counterfeit.rule.key, 'appeals.category.counterfeit');

  const ip = assessEligibility(notice({ violatedPolicy: 'intellectual_property', reason: 'Trademark complaint' }));
  assert.equal(ip.eligible, false);
  assert.equal(ip.category, 'intellectual_property');
  assert.match(ip.explanation, /licence, an authorisation, a retraction/);
  assert.equal(ip.whereToGo[0]!.name, 'Ask the rights owner for a retraction');

  const prohibited = assessEligibility(
    notice({ violatedPolicy: 'prohibited_product', reason: 'Sale of a banned item' }),
  );
  assert.equal(prohibited.eligible, false);
  assert.equal(prohibited.category, 'prohibited_product');
  assert.match(prohibited.explanation, /compliance documents/);
  assert.deepEqual(
    prohibited.whereToGo.map((w) => w.url),
    [VIOLATION_RECORDS],
  );
});

test('a refusal wins over operational words in the same notice, and a notice naming nothing we measure is refused', () => {
  const mixed = assessEligibility(
    notice({ violatedPolicy: 'late_dispatch_rate', reason: 'Late dispatch and replica products found' }),
  );
  assert.equal(mixed.eligible, false);
  assert.equal(mixed.category, 'counterfeit');

  const vague = assessEligibility(notice({ violatedPolicy: 'other', reason: 'Your shop violated our policies' }));
  assert.equal(vague.eligible, false);
  assert.equal(vague.category, 'unrecognised');
  assert.match(vague.explanation, /names no operational metric/);
  // Whole words only: "ipr" inside another word is not an IP case.
  assert.equal(
    assessEligibility(notice({ violatedPolicy: 'shipping late', reason: 'tripraw' })).category,
    'late_dispatch',
  );
});

test('late dispatch, valid tracking and seller-fault cancellations are accepted with their breach types', () => {
  const late = assessEligibility(notice({ violatedPolicy: 'late_dispatch_rate', reason: 'LDR above 10%' }));
  assert.equal(late.eligible, true);
  assert.equal(late.category, 'late_dispatch');
  assert.deepEqual(late.breachTypes, ['late_dispatch']);
  assert.deepEqual(
    late.whereToGo.map((w) => w.url),
    [VIOLATION_RECORDS],
  );

  assert.deepEqual(assessEligibility(notice({ violatedPolicy: 'valid_tracking_rate' })).breachTypes, [
    'valid_tracking',
  ]);
  assert.deepEqual(assessEligibility(notice({ violatedPolicy: 'SFCR' })).breachTypes, ['seller_fault_cancellation']);
  // The metrics TikTok quoted name breaches too.
  const both = assessEligibility(
    notice({ violatedPolicy: 'late_dispatch_rate', quotedMetrics: { ldr: 0.12, sfcr: 0.04 } }),
  );
  assert.deepEqual(both.breachTypes, ['late_dispatch', 'seller_fault_cancellation']);
  assert.equal(both.category, 'late_dispatch');
});

test('the appeal window: 30 days from the end of the notice day (unverified row), or the ticket’s own deadline', () => {
  const late = notice({ violatedPolicy: 'late_dispatch_rate' });
  assert.equal(noticeTime(late).toISOString(), '2026-11-20T23:59:59.999Z');
  const window = assessEligibility(late).window;
  assert.equal(window.appealBy, '2026-12-20T23:59:59.999Z');
  assert.equal(window.days, 30);
  assert.equal(window.secondAppealDays, 15);
  assert.equal(window.from, 'policy');
  assert.equal(window.uncertain, true);
  assert.match(window.source, /within thirty \(30\) calendar days/);
  assert.equal(policy<number>('US', 'appeals.firstAppealWindowMs', new Date('2026-11-20')).value, 30 * 86_400_000);

  const ticket = assessEligibility({ ...late, appealBy: '2026-11-27T12:00:00Z' }).window;
  assert.deepEqual(ticket, {
    appealBy: '2026-11-27T12:00:00.000Z',
    secondAppealDays: 15,
    from: 'notice',
    source: 'the deadline written on the violation ticket',
    uncertain: false,
  });
  // Thailand, the guidelines' own region: the same days, confirmed.
  assert.deepEqual(
    [
      assessEligibility({ ...late, region: 'TH' }).window.days,
      assessEligibility({ ...late, region: 'TH' }).window.uncertain,
    ],
    [30, false],
  );
  // A region without rows of its own uses the US rows.
  assert.equal(assessEligibility({ ...late, region: 'GB' }).window.appealBy, '2026-12-20T23:59:59.999Z');
  assert.throws(() => noticeTime(notice({ noticeDate: 'yesterday' })), /not an ISO date/);
});

test('the activity’s answer: the window in ms when accepted, the refusal in words when not', () => {
  const accepted = appealAssessment(
    notice({ violatedPolicy: 'late_dispatch_rate', noticeDate: '2026-11-20T10:00:00Z' }),
  );
  assert.ok(accepted.eligible);
  assert.equal(accepted.windowMs, 30 * 86_400_000);
  assert.equal(accepted.region, 'US');
  const refused = appealAssessment(notice({ violatedPolicy: 'counterfeit' }));
  assert.ok(!refused.eligible);
  assert.equal(refused.refusal.category, 'counterfeit');
  assert.match(
    refused.refusal.whereToGo,
    /Violation Records: Open the violation ticket .* https:\/\/seller-us\.tiktok\.com/,
  );
  assert.match(refused.refusal.source, /product decision \(issue 18\)/);
});
