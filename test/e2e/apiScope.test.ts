/**
 * Shop-scoped API keys (issue 13 item 1), table-driven: every route of the API, found by walking the Express router
 * stack, must have an entry below; each entry is called with no key and with each role (viewer, operator, admin)
 * under each scope (every shop, shop A only, shop B only), always about shop B. A route added without an entry fails
 * the first test.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Express } from 'express';
import { createApp } from '../../api/app';
import { computeWebhookSignature } from '../../integrations/tiktok/signing';
import { CaseId, ShopId } from '../../workflows/shared/searchAttributes';
import { createCertificateRepository } from '../../db/certificates';
import { createEvidenceBundleRepository } from '../../db/evidenceBundles';
import { PDF_BYTES, pngImage } from '../helpers/imageBytes';
import { devServerEnv, uniqueId } from '../helpers/temporal';
import { startTestStack, type TestStack } from '../helpers/stack';
import { until } from '../helpers/until';

type Role = 'viewer' | 'operator' | 'admin';
type Scope = 'all' | 'A' | 'B';
/** public: no key needed; shop: about one shop (B); list: rows of many shops; agency: agency-wide keys only. */
type Access = 'public' | 'shop' | 'list' | 'agency';
const ROLES: Role[] = ['viewer', 'operator', 'admin'];
const SCOPES: Scope[] = ['all', 'A', 'B'];

interface Req {
  path: string;
  body?: unknown;
  contentType?: string;
}
interface Entry {
  access: Access;
  min?: Role;
  /** The request, about shop B (seeded ids in `s`). */
  req: (s: Seed) => Req;
  /** Status for a key with enough role that covers shop B (for public routes: for anyone). */
  ok: number;
  /** list routes: the shop of each row in the answer. */
  rows?: (json: any) => (string | null)[];
}
interface Seed {
  A: string;
  B: string;
  deadLetterB: string;
  inboxB: string;
  notificationB: string;
  importB: string;
  fileB: string;
  /** An evidence bundle of shop B. */
  bundleB: string;
  /** A closed human step of shop B. */
  stepB: string;
  /** A vault document of shop B. */
  certificateB: string;
}

const shopB = (s: Seed, rest = '') => `/v1/shops/${s.B}${rest}`;
const orderB = (s: Seed, rest = '') => `/v1/orders/${s.B}/o-missing${rest}`;

const TABLE: Record<string, Entry> = {
  'GET /healthz': { access: 'public', req: () => ({ path: '/healthz' }), ok: 200 },
  'POST /webhooks/tiktok': { access: 'public', req: () => ({ path: '/webhooks/tiktok', body: {} }), ok: 401 },
  'POST /webhooks/easypost': { access: 'public', req: () => ({ path: '/webhooks/easypost', body: {} }), ok: 401 },
  'GET /oauth/tiktok/callback': {
    access: 'public',
    req: () => ({ path: '/oauth/tiktok/callback?code=c&state=unknown' }),
    ok: 400,
  },
  'POST /v1/api-keys': { access: 'agency', min: 'admin', req: () => ({ path: '/v1/api-keys', body: {} }), ok: 400 },
  'GET /v1/api-keys': { access: 'agency', min: 'admin', req: () => ({ path: '/v1/api-keys' }), ok: 200 },
  'DELETE /v1/api-keys/:id': {
    access: 'agency',
    min: 'admin',
    req: () => ({ path: `/v1/api-keys/${crypto.randomUUID()}` }),
    ok: 404,
  },
  'POST /v1/tiktok/authorization-links': {
    access: 'agency',
    min: 'operator',
    req: () => ({ path: '/v1/tiktok/authorization-links', body: {} }),
    ok: 201,
  },
  // Re-registers B as it is (same region and name).
  'POST /v1/shops': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: '/v1/shops', body: { shopId: s.B, region: 'US', displayName: 'Brand B' } }),
    ok: 200,
  },
  'GET /v1/shops': {
    access: 'list',
    min: 'viewer',
    req: () => ({ path: '/v1/shops' }),
    ok: 200,
    rows: (j) => j.shops.map((r: { shopId: string }) => r.shopId),
  },
  'GET /v1/shops/:shopId': { access: 'shop', min: 'viewer', req: (s) => ({ path: shopB(s) }), ok: 200 },
  'GET /v1/shops/:shopId/metrics': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/metrics') }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/account-health': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/account-health') }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/account-health/history': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/account-health/history') }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/account-health/chart.svg': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/account-health/chart.svg') }),
    ok: 200,
  },
  // An invalid body (a decidedBy of its own): 400 once past the scope check.
  'POST /v1/shops/:shopId/account-health/violations': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({
      path: shopB(s, '/account-health/violations'),
      body: {
        noticeId: 'n-1',
        policy: 'late_dispatch',
        points: 5,
        occurredAt: '2026-12-01T00:00:00Z',
        decidedBy: 'me',
      },
    }),
    ok: 400,
  },
  'GET /v1/shops/:shopId/settings': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/settings') }),
    ok: 200,
  },
  // The same valid change each time: the first writes version 1, the others change nothing (still 200).
  'PATCH /v1/shops/:shopId/settings': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/settings'), body: { paging: { warning: ['brand-b-ops'] } } }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/settings/changes': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/settings/changes') }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/reconciliation': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/reconciliation') }),
    ok: 200,
  },
  // B is registered but not connected to TikTok.
  'POST /v1/shops/:shopId/reconciliation/trigger': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/reconciliation/trigger'), body: {} }),
    ok: 404,
  },
  'GET /v1/shops/:shopId/returns/reconciliation': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/returns/reconciliation') }),
    ok: 200,
  },
  // B is registered but not connected to TikTok.
  'POST /v1/shops/:shopId/returns/reconciliation/trigger': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/returns/reconciliation/trigger'), body: {} }),
    ok: 404,
  },
  'POST /v1/shops/:shopId/catalog/imports': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/catalog/imports'), body: ' ', contentType: 'text/csv' }),
    ok: 400,
  },
  'GET /v1/shops/:shopId/catalog/imports/:id': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, `/catalog/imports/${s.importB}`) }),
    ok: 200,
  },
  // The SKU is not in B's catalog: rejected row (422) for keys covering B.
  'POST /v1/inventory/events': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({
      path: '/v1/inventory/events',
      body: [
        {
          shopId: s.B,
          sellerSku: 'SKU-NONE',
          warehouseId: 'W1',
          onHand: 1,
          sequence: 1,
          occurredAt: new Date().toISOString(),
        },
      ],
    }),
    ok: 422,
  },
  // Invalid bodies: 400 once past the scope check, so the check is seen to come first.
  'POST /v1/orders/:shopId/:orderId/shipments': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: orderB(s, '/shipments'), body: {} }),
    ok: 400,
  },
  'POST /v1/orders/:shopId/:orderId/cancellation-decision': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: orderB(s, '/cancellation-decision'), body: {} }),
    ok: 400,
  },
  'GET /v1/orders/:shopId/:orderId': { access: 'shop', min: 'viewer', req: (s) => ({ path: orderB(s) }), ok: 404 },
  'GET /v1/shops/:shopId/returns': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/returns') }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/returns/:returnId': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/returns/r-missing') }),
    ok: 404,
  },
  // An invalid body (a decidedBy of its own): 400 once past the scope check.
  'POST /v1/shops/:shopId/returns/:returnId/decision': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/returns/r-missing/decision'), body: { decision: 'approve', decidedBy: 'me' } }),
    ok: 400,
  },
  // Invalid bodies (an empty notice): 400 once past the scope check.
  'POST /v1/shops/:shopId/chargebacks': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/chargebacks'), body: {} }),
    ok: 400,
  },
  'GET /v1/shops/:shopId/chargebacks': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/chargebacks') }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/chargebacks/:caseId': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/chargebacks/cb-missing') }),
    ok: 404,
  },
  'POST /v1/shops/:shopId/dispute-appeals': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/dispute-appeals'), body: {} }),
    ok: 400,
  },
  // An invalid body (an empty notice): 400 once past the scope check.
  'POST /v1/shops/:shopId/suspension-appeals': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/suspension-appeals'), body: {} }),
    ok: 400,
  },
  'GET /v1/shops/:shopId/suspension-appeals': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/suspension-appeals') }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/suspension-appeals/:noticeId': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/suspension-appeals/n-missing') }),
    ok: 404,
  },
  'GET /v1/shops/:shopId/suspension-appeals/:noticeId/versions': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/suspension-appeals/n-missing/versions') }),
    ok: 404,
  },
  'GET /v1/shops/:shopId/suspension-appeals/:noticeId/diff': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/suspension-appeals/n-missing/diff') }),
    ok: 404,
  },
  'GET /v1/shops/:shopId/suspension-appeals/:noticeId/versions/:version/pdf': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/suspension-appeals/n-missing/versions/1/pdf') }),
    ok: 404,
  },
  'GET /v1/shops/:shopId/dispute-appeals': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/dispute-appeals') }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/dispute-appeals/:caseId': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/dispute-appeals/d-missing') }),
    ok: 404,
  },
  'GET /v1/orders': {
    access: 'list',
    min: 'viewer',
    req: () => ({ path: '/v1/orders?limit=500' }),
    ok: 200,
    rows: (j) => j.orders.map((o: { shopId: string }) => o.shopId),
  },
  'GET /v1/shops/:shopId/affiliate-audits': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/affiliate-audits') }),
    ok: 200,
  },
  // Not a period: 400 once past the scope check.
  'POST /v1/shops/:shopId/affiliate-audits': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/affiliate-audits'), body: { period: 'last week' } }),
    ok: 400,
  },
  'GET /v1/shops/:shopId/affiliate-audits/:period': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/affiliate-audits/2020-01') }),
    ok: 404,
  },
  // B is registered but not connected to TikTok: no audit Schedule yet.
  'POST /v1/shops/:shopId/affiliate-audits/schedules/:cadence/trigger': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/affiliate-audits/schedules/weekly/trigger'), body: {} }),
    ok: 404,
  },
  'GET /v1/shops/:shopId/affiliate-findings': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/affiliate-findings') }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/affiliate-findings/:findingId': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/affiliate-findings/0123456789abcdef0123456789abcdef') }),
    ok: 404,
  },
  'GET /v1/human-steps': {
    access: 'list',
    min: 'viewer',
    req: () => ({ path: '/v1/human-steps?limit=500' }),
    ok: 200,
    rows: (j) => j.steps.map((t: { shopId: string }) => t.shopId),
  },
  'GET /v1/human-steps/:id': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: `/v1/human-steps/${s.stepB}` }),
    ok: 200,
  },
  // The seeded step is closed: 409 once the key may act on it (its workflow is never asked).
  'POST /v1/human-steps/:id/decision': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: `/v1/human-steps/${s.stepB}/decision`, body: { stopped: true } }),
    ok: 409,
  },
  'GET /v1/notifications': {
    access: 'list',
    min: 'viewer',
    req: () => ({ path: '/v1/notifications?limit=500' }),
    ok: 200,
    rows: (j) => j.notifications.map((n: { shop_id: string | null }) => n.shop_id),
  },
  'POST /v1/notifications/:id/ack': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: `/v1/notifications/${s.notificationB}/ack`, body: {} }),
    ok: 200,
  },
  'GET /v1/dead-letters': {
    access: 'list',
    min: 'operator',
    req: () => ({ path: '/v1/dead-letters?limit=500' }),
    ok: 200,
    rows: (j) => j.deadLetters.map((d: { shop_id: string | null }) => d.shop_id),
  },
  'GET /v1/dead-letters/:id': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: `/v1/dead-letters/${s.deadLetterB}` }),
    ok: 200,
  },
  // An API dead letter is kept for inspection only (409) once the key may see it.
  'POST /v1/dead-letters/:id/replay': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: `/v1/dead-letters/${s.deadLetterB}/replay`, body: {} }),
    ok: 409,
  },
  // The file store: a JSON body is not the multipart upload (415) once past the scope check.
  'POST /v1/shops/:shopId/files': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/files'), body: {} }),
    ok: 415,
  },
  'GET /v1/shops/:shopId/files': { access: 'shop', min: 'viewer', req: (s) => ({ path: shopB(s, '/files') }), ok: 200 },
  'GET /v1/shops/:shopId/files/:fileId': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, `/files/${s.fileB}`) }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/files/:fileId/content': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, `/files/${s.fileB}/content`) }),
    ok: 200,
  },
  // The certificate vault: a JSON body is not the multipart upload (415) once past the scope check.
  'POST /v1/shops/:shopId/certificates': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/certificates'), body: {} }),
    ok: 415,
  },
  'GET /v1/shops/:shopId/certificates': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/certificates') }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/certificates/:certificateId': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, `/certificates/${s.certificateB}`) }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/certificates/:certificateId/content': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, `/certificates/${s.certificateB}/content`) }),
    ok: 200,
  },
  // A field the metadata does not have is refused (400) once past the scope check.
  'PATCH /v1/shops/:shopId/certificates/:certificateId': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, `/certificates/${s.certificateB}`), body: { colour: 'red' } }),
    ok: 400,
  },
  // Deleting is soft and idempotent: the document stays readable.
  'DELETE /v1/shops/:shopId/certificates/:certificateId': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, `/certificates/${s.certificateB}`) }),
    ok: 200,
  },
  // Category applications: an empty body is refused (400) once past the scope check.
  'POST /v1/shops/:shopId/ungating': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/ungating'), body: {} }),
    ok: 400,
  },
  'GET /v1/shops/:shopId/ungating': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/ungating') }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/ungating/:categoryId': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/ungating/cat-missing') }),
    ok: 404,
  },
  'GET /v1/shops/:shopId/ungating/:categoryId/packet': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/ungating/cat-missing/packet') }),
    ok: 404,
  },
  'GET /v1/shops/:shopId/category-requirements/:category': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/category-requirements/dietary_supplements') }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/certificate-expiry': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/certificate-expiry') }),
    ok: 200,
  },
  'POST /v1/shops/:shopId/certificate-expiry/trigger': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/certificate-expiry/trigger'), body: {} }),
    ok: 202,
  },
  // Evidence bundles: a body without a case is refused (400) once past the scope check.
  'POST /v1/shops/:shopId/evidence-bundles': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/evidence-bundles'), body: {} }),
    ok: 400,
  },
  'GET /v1/shops/:shopId/tax/registrations': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/tax/registrations') }),
    ok: 200,
  },
  // B holds no registration: 404 from the route, after the scope check.
  'GET /v1/shops/:shopId/tax/registrations/:state': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/tax/registrations/TX') }),
    ok: 404,
  },
  // An empty body: 400 once past the scope check (nothing is written).
  'PUT /v1/shops/:shopId/tax/registrations/:state': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/tax/registrations/TX'), body: {} }),
    ok: 400,
  },
  'DELETE /v1/shops/:shopId/tax/registrations/:state': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/tax/registrations/TX') }),
    ok: 404,
  },
  // Tax data: a backfill body out of range is refused (400) once past the scope check (nothing starts); B has none.
  'POST /v1/shops/:shopId/tax/backfill': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/tax/backfill'), body: { months: 0 } }),
    ok: 400,
  },
  'GET /v1/shops/:shopId/tax/backfill': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/tax/backfill') }),
    ok: 404,
  },
  'GET /v1/shops/:shopId/tax/coverage': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/tax/coverage') }),
    ok: 200,
  },
  // An empty CSV: 400 once past the scope check (nothing is written).
  'POST /v1/shops/:shopId/tax/sales-imports': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/tax/sales-imports'), body: ' ', contentType: 'text/csv' }),
    ok: 400,
  },
  'GET /v1/shops/:shopId/tax/reports': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/tax/reports') }),
    ok: 200,
  },
  // No month: 400 once past the scope check.
  'POST /v1/shops/:shopId/tax/reports': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/tax/reports'), body: {} }),
    ok: 400,
  },
  'GET /v1/shops/:shopId/tax/reports/:period': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/tax/reports/2020-01') }),
    ok: 404,
  },
  'GET /v1/shops/:shopId/tax/reports/:period/:format': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/tax/reports/2020-01/pdf') }),
    ok: 404,
  },
  // B is registered but not connected to TikTok: no tax report Schedule yet.
  'GET /v1/shops/:shopId/tax/schedule': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/tax/schedule') }),
    ok: 404,
  },
  // An unknown field: 400 once past the scope check (no Schedule is created for B).
  'PUT /v1/shops/:shopId/tax/schedule': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/tax/schedule'), body: { hour: 3 } }),
    ok: 400,
  },
  'POST /v1/shops/:shopId/tax/schedule/pause': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/tax/schedule/pause'), body: {} }),
    ok: 404,
  },
  'POST /v1/shops/:shopId/tax/schedule/unpause': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/tax/schedule/unpause'), body: {} }),
    ok: 404,
  },
  'POST /v1/shops/:shopId/tax/schedule/trigger': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/tax/schedule/trigger'), body: {} }),
    ok: 404,
  },
  'POST /v1/shops/:shopId/tax/schedule/backfill': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: shopB(s, '/tax/schedule/backfill'), body: { from: '2020-01', to: '2020-02' } }),
    ok: 404,
  },
  'GET /v1/shops/:shopId/evidence-bundles': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, '/evidence-bundles') }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/evidence-bundles/:bundleId': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, `/evidence-bundles/${s.bundleB}`) }),
    ok: 200,
  },
  'GET /v1/shops/:shopId/evidence-bundles/:bundleId/content': {
    access: 'shop',
    min: 'viewer',
    req: (s) => ({ path: shopB(s, `/evidence-bundles/${s.bundleB}/content`) }),
    ok: 200,
  },
  // What retention keeps and its latest run: no Schedule in the test stack (no worker start), still a 200.
  'GET /v1/retention': { access: 'agency', min: 'admin', req: () => ({ path: '/v1/retention' }), ok: 200 },
  // A shop connection's outcome, by its workflow id (answered by the OAuth callback); none here.
  'GET /v1/shop-connections/:workflowId': {
    access: 'agency',
    min: 'operator',
    req: () => ({ path: `/v1/shop-connections/${encodeURIComponent('shop-connection:none')}` }),
    ok: 404,
  },
  'GET /v1/webhooks/inbox': {
    access: 'list',
    min: 'operator',
    req: () => ({ path: '/v1/webhooks/inbox?limit=500' }),
    ok: 200,
    rows: (j) => j.events.map((e: { shop_id: string | null }) => e.shop_id),
  },
  'GET /v1/webhooks/inbox/:id': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: `/v1/webhooks/inbox/${s.inboxB}` }),
    ok: 200,
  },
  'POST /v1/webhooks/inbox/:id/replay': {
    access: 'shop',
    min: 'operator',
    req: (s) => ({ path: `/v1/webhooks/inbox/${s.inboxB}/replay`, body: {} }),
    ok: 202,
  },
};

/** Every "METHOD path" the app serves, from the router stack (nested routers included). */
function routesOf(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods as Record<string, boolean>)) {
          if (on && method !== '_all') found.push(`${method.toUpperCase()} ${String(layer.route.path)}`);
        }
      } else if (Array.isArray(layer.handle?.stack)) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: unknown[] } }).router.stack);
  return [...new Set(found)].sort();
}

const ROLE_RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** What a caller gets: the table's `ok`, or 401/403, or the scope check's 404 ('hidden'). */
function expected(e: Entry, who: { role: Role; scope: Scope } | null): number | 'hidden' {
  if (e.access === 'public') return e.ok;
  if (!who) return 401;
  if (ROLE_RANK[who.role] < ROLE_RANK[e.min!]) return 403;
  if (e.access === 'agency') return who.scope === 'all' ? e.ok : 403;
  if (e.access === 'shop' && who.scope === 'A') return 'hidden';
  return e.ok;
}

describe('every route enforces roles and shop scopes (table-driven)', () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;
  let seed: Seed;
  const keys = new Map<string, string>();
  const orderWorkflows: string[] = [];

  const call = async (method: string, r: Req, key: string | null) => {
    const headers: Record<string, string> = {};
    if (key) headers.authorization = `Bearer ${key}`;
    if (r.body !== undefined) headers['content-type'] = r.contentType ?? 'application/json';
    const res = await fetch(`${stack.baseUrl}${r.path}`, {
      method,
      headers,
      body: r.body === undefined ? undefined : typeof r.body === 'string' ? r.body : JSON.stringify(r.body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, json };
  };

  before(async () => {
    env = await devServerEnv();
    stack = await startTestStack(env);
    const A = uniqueId('shopA');
    const B = uniqueId('shopB');
    for (const [shopId, name] of [
      [A, 'Brand A'],
      [B, 'Brand B'],
    ]) {
      const res = await stack.call('POST', '/v1/shops', { shopId, region: 'US', displayName: name });
      assert.equal(res.status, 201);
    }
    for (const role of ROLES) {
      for (const scope of SCOPES) {
        const shopIds = scope === 'all' ? undefined : [scope === 'A' ? A : B];
        const res = await stack.call('POST', '/v1/api-keys', { name: `${role}-${scope}`, role, shopIds });
        assert.equal(res.status, 201, JSON.stringify(res.json));
        assert.deepEqual(res.json.shopIds, shopIds ?? 'all');
        keys.set(`${role}/${scope}`, res.json.key);
      }
    }
    const db = stack.database.db;
    const ids: Record<string, string> = {};
    for (const [name, shop] of [
      ['A', A],
      ['B', B],
      ['none', null],
    ] as const) {
      const [dl] = await db('dead_letters')
        .insert({ source: 'api:test', reason: 'seeded', raw_body: '{}', shop_id: shop })
        .returning<{ id: string }[]>('id');
      const [inbox] = await db('webhook_inbox')
        .insert({
          dedup_key: `scope-${name}-${crypto.randomUUID()}`,
          type: 1,
          kind: 'ORDER_STATUS_CHANGE',
          shop_id: shop,
          status: 'routed',
          event: JSON.stringify({ type: 1, shop_id: shop, timestamp: 1, data: { order_id: 'o1' } }),
          raw_body: '{}',
        })
        .returning<{ id: string }[]>('id');
      const [note] = await db('notifications')
        .insert({
          dedup_key: `scope-${name}-${crypto.randomUUID()}`,
          shop_id: shop,
          kind: 'test',
          severity: 'info',
          title: 'seeded',
          body: 'seeded',
        })
        .returning<{ id: string }[]>('id');
      ids[`dl${name}`] = dl!.id;
      ids[`inbox${name}`] = inbox!.id;
      ids[`note${name}`] = note!.id;
      if (shop) {
        const [step] = await db('human_steps')
          .insert({
            shop_id: shop,
            case_kind: 'order_cancellation',
            case_id: 'o1',
            workflow_id: `order:${shop}:o1`,
            step_key: 'cancellation:c1',
            update_name: 'cancellationDecision',
            title: 'seeded',
            closed_at: new Date(),
            outcome: 'decided',
          })
          .returning<{ id: string }[]>('id');
        ids[`step${name}`] = step!.id;
      }
    }
    const importB = `imp_${crypto.randomBytes(16).toString('hex')}`;
    await db('catalog_import_reports').insert({ id: importB, shop_id: B, format: 'csv', source: 'seller_sku\n' });
    const fileB = (await stack.apiDeps.files.put(B, pngImage(120, 120), { purpose: 'evidence', createdBy: 'seed' }))
      .fileId;
    const pdfB = await stack.apiDeps.files.put(B, PDF_BYTES, { purpose: 'evidence-bundle', createdBy: 'seed' });
    const bundleB = (
      await createEvidenceBundleRepository(db).insertOrGet({
        shopId: B,
        caseKind: 'chargeback',
        caseId: 'cb1',
        orderId: 'o1',
        fileId: pdfB.fileId,
        pageCount: 1,
        sizeBytes: pdfB.sizeBytes,
        dataAsOf: new Date('2026-01-01T00:00:00Z'),
        requestedBy: 'seed',
      })
    ).row.bundle_id;
    const certificateB = (
      await createCertificateRepository(db).insert({
        shop_id: B,
        file_id: pdfB.fileId,
        mime_type: pdfB.mimeType,
        size_bytes: pdfB.sizeBytes,
        document_type: 'other',
        issuer: 'seed',
        product: null,
        lot: null,
        identifier: null,
        issued_on: null,
        expires_on: '2030-01-01',
        categories: [],
        note: null,
        created_by: 'seed',
      })
    ).certificate_id;
    seed = {
      A,
      B,
      deadLetterB: ids.dlB!,
      inboxB: ids.inboxB!,
      notificationB: ids.noteB!,
      importB,
      fileB,
      bundleB,
      stepB: ids.stepB!,
      certificateB,
    };

    // Orders of both shops in visibility: workflows of the order type on a queue no worker polls (never run).
    for (const shopId of [A, B]) {
      const workflowId = `order:${shopId}:o1`;
      await stack.client.workflow.start('orderAcknowledgment', {
        taskQueue: `no-worker-${shopId}`,
        workflowId,
        args: [],
        typedSearchAttributes: [
          { key: ShopId, value: shopId },
          { key: CaseId, value: 'o1' },
        ],
      });
      orderWorkflows.push(workflowId);
    }
    await until('both orders in visibility', async () => {
      const res = await call('GET', { path: '/v1/orders?limit=500' }, stack.adminKey);
      const shops = res.json.orders.map((o: { shopId: string }) => o.shopId);
      return shops.includes(A) && shops.includes(B);
    });
  });
  after(async () => {
    for (const id of orderWorkflows) await stack?.client.workflow.getHandle(id).terminate('test done');
    await stack?.stop();
    await env?.teardown();
  });

  test('the table has exactly one entry per route of the app', () => {
    const routes = routesOf(createApp(stack.apiDeps));
    assert.ok(routes.length >= 25, `found only ${routes.length} routes: the router walk is broken`);
    const missing = routes.filter((r) => !(r in TABLE));
    assert.deepEqual(missing, [], 'routes without an entry in the scope table (add one: its role and scope)');
    const stale = Object.keys(TABLE).filter((r) => !routes.includes(r));
    assert.deepEqual(stale, [], 'table entries for routes that no longer exist');
  });

  test('each route answers each role and scope as the table says', async () => {
    const failures: string[] = [];
    const callers: [string, { role: Role; scope: Scope } | null][] = [
      ['no key', null],
      ...ROLES.flatMap((role) =>
        SCOPES.map((scope): [string, { role: Role; scope: Scope }] => [`${role}/${scope}`, { role, scope }]),
      ),
    ];
    for (const [route, entry] of Object.entries(TABLE)) {
      const method = route.split(' ')[0]!;
      for (const [name, who] of callers) {
        const want = expected(entry, who);
        const key = who ? keys.get(name)! : null;
        const res = await call(method, entry.req(seed), key);
        // Out of scope is a 404; where a covering key also gets a 404 (nothing there), the scope check's message
        // tells them apart (it is the same whether or not the shop exists).
        const guard = /for this API key|does not cover/.test(res.json?.error?.message ?? '');
        const hidden = res.status === 404 && (entry.ok !== 404 || guard);
        const got = hidden ? 'hidden' : res.status;
        if (got !== want) {
          failures.push(`${route} as ${name}: expected ${want}, got ${res.status} ${JSON.stringify(res.json)}`);
          continue;
        }
        if (entry.rows && res.status === 200 && who) {
          // Agency-wide keys see both shops; a scoped key sees its own shop's rows only (no other shop, no rows
          // without a shop) and at least one of them.
          const shops = entry.rows(res.json);
          const own = who.scope === 'A' ? seed.A : seed.B;
          const right =
            who.scope === 'all'
              ? shops.includes(seed.A) && shops.includes(seed.B)
              : shops.length > 0 && shops.every((s) => s === own);
          if (!right) failures.push(`${route} as ${name}: lists shops ${JSON.stringify(shops)}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  test('lists of seeded tables show rows without a shop to agency-wide keys only', async () => {
    for (const path of ['/v1/notifications?limit=500', '/v1/dead-letters?limit=500', '/v1/webhooks/inbox?limit=500']) {
      const all = await call('GET', { path }, keys.get('operator/all')!);
      const rows = Object.values(all.json).find(Array.isArray) as { shop_id: string | null }[];
      assert.ok(
        rows.some((r) => r.shop_id === null),
        `${path}: the agency-wide key sees the row without a shop`,
      );
      const scoped = await call('GET', { path }, keys.get('operator/B')!);
      const scopedRows = Object.values(scoped.json).find(Array.isArray) as { shop_id: string | null }[];
      assert.deepEqual([...new Set(scopedRows.map((r) => r.shop_id))], [seed.B], path);
    }
  });

  test('an inventory batch naming a shop outside the key is refused whole', async () => {
    const event = (shopId: string, sequence: number) => ({
      shopId,
      sellerSku: 'SKU-NONE',
      warehouseId: 'W1',
      onHand: 1,
      sequence,
      occurredAt: new Date().toISOString(),
    });
    const before = await stack.database.db('dead_letters').count<{ count: string }[]>('* as count');
    const res = await call(
      'POST',
      { path: '/v1/inventory/events', body: [event(seed.A, 1), event(seed.B, 2)] },
      keys.get('operator/A')!,
    );
    assert.equal(res.status, 404);
    const after = await stack.database.db('dead_letters').count<{ count: string }[]>('* as count');
    assert.equal(after[0]!.count, before[0]!.count, 'nothing of a refused batch is processed');
    // The same batch from a key covering both shops is processed (its rows rejected one by one: unknown SKU).
    const all = await call(
      'POST',
      { path: '/v1/inventory/events', body: [event(seed.A, 1), event(seed.B, 2)] },
      keys.get('operator/all')!,
    );
    assert.equal(all.status, 422);
    assert.equal(all.json.rejected.length, 2);
    const letters = await stack.database.db('dead_letters').orderBy('id', 'desc').limit(2).select('shop_id');
    assert.deepEqual(letters.map((l: { shop_id: string }) => l.shop_id).sort(), [seed.A, seed.B].sort());
  });

  test("changing a registered shop's region is admin-only", async () => {
    // US is the only supported region today (policy/regions.ts): stand in a shop registered elsewhere earlier.
    const moved = uniqueId('shopMoved');
    const body = { shopId: moved, region: 'US', displayName: 'Brand B' };
    assert.equal((await call('POST', { path: '/v1/shops', body }, stack.adminKey)).status, 201);
    const elsewhere = () => stack.database.db('shops').where({ shop_id: moved }).update({ region: 'XX' });
    await elsewhere();
    const op = await call('POST', { path: '/v1/shops', body }, keys.get('operator/all')!);
    assert.equal(op.status, 403);
    assert.match(op.json.error.message, /region/);
    const otherAdmin = await call('POST', { path: '/v1/shops', body }, keys.get('admin/A')!);
    assert.equal(otherAdmin.status, 404);
    const admin = await call('POST', { path: '/v1/shops', body }, stack.adminKey);
    assert.equal(admin.status, 200);
    assert.equal(admin.json.region, 'US');
    // The same registration without a region change stays an operator's.
    await stack.database.db('shops').where({ shop_id: moved }).update({ region: 'US' });
    assert.equal((await call('POST', { path: '/v1/shops', body }, keys.get('operator/all')!)).status, 200);
  });

  test("a signed webhook that cannot be taken is its shop's dead letter; an unsigned one belongs to no shop", async () => {
    // Type 1 (order status) without its data fields: refused (400) after the signature check.
    const raw = JSON.stringify({ type: 1, shop_id: seed.B, timestamp: 1, data: {} });
    const { appKey, appSecret } = stack.apiDeps.tiktok;
    const post = (authorization: string) =>
      fetch(`${stack.baseUrl}/webhooks/tiktok`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: raw,
      });
    assert.equal((await post(computeWebhookSignature({ appKey, appSecret, rawBody: raw }))).status, 400);
    const [signed] = await stack.database.db('dead_letters').orderBy('id', 'desc').limit(1).select('id', 'shop_id');
    assert.equal(signed.shop_id, seed.B);
    assert.equal((await call('GET', { path: `/v1/dead-letters/${signed.id}` }, keys.get('operator/B')!)).status, 200);
    // However a forged one is kept, nothing of it is recorded as shop B's.
    assert.equal((await post('0'.repeat(64))).status, 401);
    const later = await stack.database
      .db('dead_letters')
      .where('id', '>', signed.id)
      .whereNotNull('shop_id')
      .count<{ n: string }[]>('* as n');
    assert.equal(Number(later[0]!.n), 0);
  });

  test('a rejected request of a scoped key is recorded with its shop, visible to that shop only', async () => {
    const res = await call('POST', { path: orderB(seed, '/shipments'), body: { nope: 1 } }, keys.get('operator/B')!);
    assert.equal(res.status, 400);
    const [row] = await stack.database.db('dead_letters').orderBy('id', 'desc').limit(1).select('id', 'shop_id');
    assert.equal(row.shop_id, seed.B);
    assert.equal((await call('GET', { path: `/v1/dead-letters/${row.id}` }, keys.get('operator/B')!)).status, 200);
    assert.equal((await call('GET', { path: `/v1/dead-letters/${row.id}` }, keys.get('operator/A')!)).status, 404);
  });
});
