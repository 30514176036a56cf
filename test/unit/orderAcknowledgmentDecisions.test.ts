// The order's human-step updates check their input themselves (workflows/orderAcknowledgment/decisions.ts): a body
// sent through POST /v1/human-steps/:id/decision reaches the workflow unchecked, and a refusal is InvalidDecision (422).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { checkCancellationDecision, checkShipmentRequest } from '../../workflows/orderAcknowledgment/decisions';

const refusal = (check: (input: unknown) => void, input: unknown): string => {
  try {
    check(input);
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, String(err));
    assert.equal(err.type, 'InvalidDecision');
    return err.message;
  }
  return 'accepted';
};

test('a cancellation answer is {stopped: boolean} with an optional decidedBy', () => {
  const check = checkCancellationDecision;
  assert.equal(refusal(check, { stopped: true }), 'accepted');
  assert.equal(refusal(check, { stopped: false, decidedBy: 'wms (key 4)' }), 'accepted');
  assert.equal(refusal(check, { stopped: 'yes' }), 'stopped must be true or false');
  assert.equal(refusal(check, {}), 'stopped must be true or false');
  assert.equal(refusal(check, null), 'the answer is an object');
  assert.equal(refusal(check, [true]), 'the answer is an object');
  assert.equal(refusal(check, { stopped: true, approve: true }), 'the answer: unknown field approve');
  assert.equal(refusal(check, { stopped: true, decidedBy: ' ' }), 'decidedBy must name who decides (1-200 characters)');
  assert.equal(refusal(check, { stopped: true, decidedBy: 7 }), 'decidedBy must name who decides (1-200 characters)');
});

test('a shipment is packages with tracking number and carrier, or TikTok Shipping', () => {
  const check = checkShipmentRequest;
  const pkg = { trackingNumber: '1Z999', carrier: 'UPS' };
  assert.equal(refusal(check, { packages: [pkg] }), 'accepted');
  assert.equal(refusal(check, { packages: [{ ...pkg, lineItemIds: ['li-1'] }], decidedBy: 'ops' }), 'accepted');
  assert.equal(refusal(check, { tiktokShipping: true }), 'accepted');
  assert.equal(refusal(check, { tiktokShipping: true, lineItemIds: ['li-1', 'li-2'] }), 'accepted');
  assert.equal(refusal(check, { packages: [] }), 'no packages to ship');
  assert.equal(refusal(check, {}), 'no packages to ship');
  assert.equal(refusal(check, { tiktokShipping: false }), 'tiktokShipping must be true');
  assert.equal(refusal(check, { tiktokShipping: true, packages: [pkg] }), 'packages or tiktokShipping, not both');
  assert.equal(
    refusal(check, { packages: [pkg], lineItemIds: ['li-1'] }),
    'lineItemIds go with tiktokShipping, or on each package',
  );
  assert.equal(refusal(check, { packages: [{ carrier: 'UPS' }] }), 'package 1: trackingNumber, 1-128 characters');
  assert.equal(refusal(check, { packages: [pkg, { ...pkg, carrier: '' }] }), 'package 2: carrier, 1-128 characters');
  assert.equal(refusal(check, { packages: [{ ...pkg, box: 1 }] }), 'package 1: unknown field box');
  assert.equal(refusal(check, { packages: [{ ...pkg, decidedBy: 'x' }] }), 'package 1: unknown field decidedBy');
  assert.equal(
    refusal(check, { packages: [{ ...pkg, lineItemIds: ['bad id'] }] }),
    'package 1 lineItemIds: a non-empty list of line item ids',
  );
  assert.equal(refusal(check, { packages: Array.from({ length: 51 }, () => pkg) }), 'at most 50 packages');
});
