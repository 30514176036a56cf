/**
 * The returns baseline: a conventional connector that polls instead of listening, built with the product's TikTok
 * client (integrations/tiktok) and no Temporal, working properly. What it models, exactly:
 * - every 15 minutes (divided by the run's compression) it pages through Search Returns updated since its last poll
 *   (with an overlap of two periods), and nothing else: it subscribes to no webhook, so dropped notifications do not
 *   touch it;
 * - a pending request that fits the shop's rules (refund only, refund total ≤ the limit in USD, a listed reason — the
 *   same rules our shop's settings hold) is approved in the poll that finds it;
 * - any other pending seller action goes on the person's list when a poll finds it; the person (the same simulated
 *   person, bench/returnsWorld.ts) answers after the same delay counted from then; the connector sends the answers at
 *   its next poll (a batch sync, as polling connectors do), rejections with an evidence image uploaded first;
 * - no escalation and no paging: a slow person is never reminded;
 * - each decision carries an idempotency key of return and action, and a refusal because the platform decided first
 *   (25001044 / 25001003) is counted, not retried.
 */
import { createTikTokClient, type TikTokClient } from '../../integrations/tiktok/client';
import type { ShopRef } from '../../integrations/tiktok/common';
import { getAuthorizedShops } from '../../integrations/tiktok/authorization';
import { TikTokStateConflict } from '../../integrations/tiktok/errors';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { uploadFile } from '../../integrations/tiktok/uploads';
import { sleep } from '../flashSaleWorld';
import {
  AUTO_LIMIT,
  AUTO_REASON,
  MINUTE,
  REJECT_REASON,
  evidencePng,
  type PersonAnswer,
  type ReturnsWorld,
  type SimulatedPerson,
} from '../returnsWorld';

export const BASELINE_APP_KEY = 'returns_baseline_app';
export const BASELINE_APP_SECRET = 'returns_baseline_secret_0123456789';
/** The poll period of the baseline, in business time. */
export const BASELINE_POLL_MS = 15 * MINUTE;

/** The baseline's own connection: tokens issued to its app for its shop (no consent page: that one is ours). */
export async function connectBaseline(
  world: ReturnsWorld,
  shopId: string,
): Promise<{ client: TikTokClient; shop: ShopRef }> {
  const grant = await world.admin('/tokens', { app_key: BASELINE_APP_KEY, shop_id: shopId });
  let accessToken: string = grant.access_token;
  let refreshToken: string = grant.refresh_token;
  const client: TikTokClient = createTikTokClient({
    baseUrl: world.emulator.url,
    authBaseUrl: world.emulator.url,
    appKey: BASELINE_APP_KEY,
    appSecret: BASELINE_APP_SECRET,
    tokens: {
      getAccessToken: () => Promise.resolve(accessToken),
      refresh: async () => {
        const next = await client.auth.refreshAccessToken(refreshToken);
        accessToken = next.accessToken;
        refreshToken = next.refreshToken;
        return accessToken;
      },
    },
  });
  const found = (await getAuthorizedShops(client, { accessToken })).find((s) => s.shopId === shopId);
  if (!found) throw new Error(`the baseline app does not see shop ${shopId}`);
  return { client, shop: { shopId, shopCipher: found.shopCipher } };
}

/** Cents of a decimal amount string (no floats in money comparisons). */
const cents = (amount: string): number => {
  const [whole = '0', frac = ''] = amount.split('.');
  return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
};

export class ReturnsPollingConnector {
  cycles = 0;
  autoApproved = 0;
  sentByPerson = 0;
  /** Decisions refused because the platform had decided first. */
  tooLate = 0;
  errors: string[] = [];
  private readonly handled = new Set<string>();
  private readonly queued: PersonAnswer[] = [];
  private lastPollSeconds = 0;
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly client: TikTokClient,
    private readonly shop: ShopRef,
    private readonly periodMs: number,
    private readonly person: SimulatedPerson,
  ) {}

  start(): void {
    this.lastPollSeconds = Math.floor(Date.now() / 1000) - 1;
    this.loop = (async () => {
      while (!this.stopped) {
        const started = Date.now();
        try {
          await this.cycle();
        } catch (err) {
          this.errors.push((err as Error).message);
        }
        this.cycles++;
        await sleep(this.periodMs - (Date.now() - started));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async cycle(): Promise<void> {
    const now = Date.now();
    // The overlap covers requests updated while the previous poll was paging.
    const since = this.lastPollSeconds - Math.ceil((2 * this.periodMs) / 1000) - 1;
    this.lastPollSeconds = Math.floor(now / 1000);
    let pageToken: string | undefined;
    do {
      const page = await callEndpoint(this.client, endpoints.searchReturns, this.shop, {
        page_size: 50,
        ...(pageToken ? { page_token: pageToken } : {}),
        sort_field: 'update_time',
        update_time_ge: Math.max(0, since),
      });
      for (const r of page.return_orders) {
        const action = r.seller_next_action_response?.[0]?.action;
        if (!action || this.handled.has(`${r.return_id}|${action}`)) continue;
        const auto =
          action === 'SELLER_RESPOND_REFUND' &&
          r.return_type === 'REFUND' &&
          r.return_reason === AUTO_REASON &&
          r.refund_amount?.currency === 'USD' &&
          cents(String(r.refund_amount.refund_total ?? '0')) <= cents(AUTO_LIMIT);
        if (auto) {
          this.handled.add(`${r.return_id}|${action}`);
          if (await this.send({ returnId: r.return_id, action, decision: 'approve' })) this.autoApproved++;
        } else {
          this.person.see(r.return_id, action, now);
        }
      }
      pageToken = page.next_page_token || undefined;
    } while (pageToken);
    // Answers the person gave since the last poll go out now; those given later wait for the next one.
    this.queued.push(...this.person.due(now));
    for (const a of this.queued.splice(0)) {
      this.handled.add(`${a.returnId}|${a.action}`);
      if (await this.send(a)) this.sentByPerson++;
    }
  }

  private async send(a: PersonAnswer): Promise<boolean> {
    const idempotency_key = `baseline:${a.returnId}:${a.action}`;
    try {
      if (a.decision === 'approve') {
        const decision =
          a.action === 'SELLER_RESPOND_REFUND'
            ? 'APPROVE_REFUND'
            : a.action === 'SELLER_RESPOND_RETURN'
              ? 'APPROVE_RETURN'
              : 'APPROVE_RECEIVED_PACKAGE';
        await callEndpoint(this.client, endpoints.approveReturn, this.shop, {
          return_id: a.returnId,
          decision,
          idempotency_key,
        });
      } else {
        const image = await callEndpoint(this.client, endpoints.uploadProductImage, this.shop, {
          data: uploadFile(evidencePng(), 'evidence.png', 'image/png'),
          use_case: 'DESCRIPTION_IMAGE',
        });
        await callEndpoint(this.client, endpoints.rejectReturn, this.shop, {
          return_id: a.returnId,
          decision: a.action === 'SELLER_RESPOND_REFUND' ? 'REJECT_REFUND' : 'REJECT_RETURN',
          reject_reason: REJECT_REASON,
          comment: 'used, see photo',
          images: [{ image_id: image.uri, mime_type: 'image/png', width: image.width, height: image.height }],
          idempotency_key,
        });
      }
      return true;
    } catch (err) {
      if (err instanceof TikTokStateConflict) this.tooLate++;
      else this.errors.push(`${a.returnId} ${a.action}: ${(err as Error).message}`);
      return false;
    }
  }
}
