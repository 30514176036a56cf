/**
 * OUR side of the returns benchmark: the product as deployed (API, worker, relay as child processes, on Temporal and
 * PostgreSQL), its shop connected through the consent page, the shop's settings compressed by the run's factor, and
 * the simulated person working through the HTTP API: open human steps listed by
 * `GET /v1/human-steps?caseKind=return`, answers sent to `POST /v1/human-steps/:id/decision` (rejections with an
 * evidence photo uploaded to `POST /v1/shops/:shopId/files` first). Pages reach the person through the chat webhook
 * (NOTIFY_WEBHOOK_URL): a critical one naming a return brings a slow person's answer forward.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureDatabase } from '../db/ensureDatabase';
import { freePort } from '../db/embeddedPostgres';
import { sleep } from './flashSaleWorld';
import { APP_KEY, APP_SECRET, connectShop, startProduct, startWms, type ProductStack } from './flashSaleStack';
import { onRequestBody } from './lib';
import {
  AUTO_LIMIT,
  AUTO_REASON,
  HOUR,
  MINUTE,
  REJECT_REASON,
  evidencePng,
  type PersonAnswer,
  type ReturnsParams,
  type SimulatedPerson,
} from './returnsWorld';

export { APP_KEY as OURS_APP_KEY, APP_SECRET as OURS_APP_SECRET };

export interface OursServices {
  temporalAddress: string;
  databaseAdminUrl: string;
}

/** A business duration as an `ms`-format setting of the compressed shop ('240000ms'). */
export const compressed = (businessMs: number, compression: number): string =>
  `${Math.max(1, Math.round(businessMs / compression))}ms`;

/**
 * The shop's settings for the run: automation of low-value refunds (the plan's AUTO_REASON, up to AUTO_LIMIT USD),
 * a warning 12 h and a critical page 1 h before TikTok's deadline, the return reconciliation every 15 minutes — all
 * compressed (the reconciliation at least 1 s apart).
 */
export function benchShopSettings(compression: number) {
  return {
    returns: {
      autoApprove: {
        enabled: true,
        maxRefund: { amount: AUTO_LIMIT, currency: 'USD' },
        reasons: [AUTO_REASON],
        types: ['REFUND'],
      },
      escalations: [{ beforeDeadline: compressed(12 * HOUR, compression), severity: 'warning' }],
      criticalBeforeDeadline: compressed(HOUR, compression),
    },
    paging: { warning: ['returns-desk'], critical: ['returns-lead'] },
    // The one interval with a floor: Schedules run at most every second (the setting refuses less), so above
    // C = 900 the reconciliation runs less often than 15 minutes compressed (quick run: every 1 s = 3 business hours).
    reconciliation: { returnsEvery: `${Math.max(1000, Math.round((15 * MINUTE) / compression))}ms` },
  };
}

/** The chat webhook the product posts notifications to: a critical one naming a return pages the person. */
async function startPager(person: SimulatedPerson): Promise<{ url: string; received: number; close(): Promise<void> }> {
  const out = { url: '', received: 0, close: () => Promise.resolve() };
  const server = http.createServer((req, res) => {
    onRequestBody(req, (raw) => {
      out.received++;
      const text = raw.toString('utf8');
      // notifications/notifier.ts slackMessage: ':rotating_light:' marks a critical notification.
      if (text.includes(':rotating_light:')) {
        for (const m of text.matchAll(/Return (\d+)/g)) person.paged(m[1]!);
      }
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  out.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat`;
  out.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return out;
}

interface StepRow {
  id: string;
  workflowId: string;
  stepKey: string;
}

/** The person at the human-step list: sees steps, answers them when the plan says. */
export class PersonAtSteps {
  sent = 0;
  refused: string[] = [];
  private readonly steps = new Map<string, string>();
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly stack: ProductStack,
    private readonly shopId: string,
    private readonly person: SimulatedPerson,
  ) {}

  start(): void {
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          await this.look();
        } catch (err) {
          this.refused.push(`list: ${(err as Error).message}`);
        }
        for (const a of this.person.due()) {
          const p = this.answer(a).finally(() => this.inflight.delete(p));
          this.inflight.add(p);
        }
        await sleep(300);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await Promise.all([...this.inflight]);
  }

  private async look(): Promise<void> {
    const res = await this.stack.call(
      'GET',
      `/v1/human-steps?shopId=${this.shopId}&caseKind=return&open=true&limit=500`,
    );
    if (res.status !== 200) throw new Error(`HTTP ${res.status} ${JSON.stringify(res.json)}`);
    for (const step of (res.json.steps ?? []) as StepRow[]) {
      const returnId = step.workflowId.split(':')[2];
      const action = step.stepKey.replace(/^decide:/, '');
      if (!returnId) continue;
      this.steps.set(`${returnId}|${action}`, step.id);
      this.person.see(returnId, action);
    }
  }

  private async answer(a: PersonAnswer): Promise<void> {
    const stepId = this.steps.get(`${a.returnId}|${a.action}`);
    if (!stepId) return this.person.retry(a, 200);
    const body: Record<string, unknown> = { decision: a.decision };
    if (a.decision === 'reject') {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(evidencePng())], { type: 'image/png' }), 'evidence.png');
      const upload = await fetch(`${this.stack.apiUrl}/v1/shops/${this.shopId}/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.stack.adminKey}` },
        body: form,
      });
      const file = (await upload.json()) as { fileId?: string };
      if (!upload.ok || !file.fileId) {
        this.refused.push(`${a.returnId} upload: HTTP ${upload.status} ${JSON.stringify(file)}`);
        return;
      }
      Object.assign(body, { rejectReason: REJECT_REASON, comment: 'used, see photo', evidenceFileIds: [file.fileId] });
    }
    const res = await this.stack.call('POST', `/v1/human-steps/${stepId}/decision`, body);
    if (res.status === 200) this.sent++;
    else if (res.status >= 500) this.person.retry(a, 500);
    else this.refused.push(`${a.returnId} ${a.action}: HTTP ${res.status} ${JSON.stringify(res.json)}`);
  }
}

export interface OursRun {
  shopId: string;
  stack: ProductStack;
  steps: PersonAtSteps;
  pager: { received: number };
  stop(): Promise<void>;
}

/**
 * Starts the product against the run's emulator, connects the shop (the first seeded seller, `shopId`), applies the
 * compressed settings and puts the person at the step list.
 */
export async function startOurs(opts: {
  services: OursServices;
  emulatorUrl: string;
  emulator: Parameters<typeof connectShop>[1]['emulator'];
  apiPort: number;
  shopId: string;
  params: ReturnsParams;
  person: SimulatedPerson;
  log: (m: string) => void;
}): Promise<OursRun> {
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };
  try {
    const dbName = `bench_returns_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
    const databaseUrl = await ensureDatabase(opts.services.databaseAdminUrl, dbName);
    const pager = await startPager(opts.person);
    cleanups.push(() => pager.close());
    const wms = await startWms();
    cleanups.push(() => wms.close());
    const stack = await startProduct({
      databaseUrl,
      temporalAddress: opts.services.temporalAddress,
      emulatorUrl: opts.emulatorUrl,
      apiPort: opts.apiPort,
      wmsUrl: wms.url,
      taskQueue: `returns-${Date.now().toString(36)}`,
      extraEnv: { NOTIFY_WEBHOOK_URL: pager.url },
      log: opts.log,
    });
    cleanups.push(() => stack.stop());
    await connectShop(stack, { emulator: opts.emulator, shopId: opts.shopId });
    const settings = await stack.call(
      'PATCH',
      `/v1/shops/${opts.shopId}/settings`,
      benchShopSettings(opts.params.compression),
    );
    if (settings.status !== 200) throw new Error(`settings: HTTP ${settings.status} ${JSON.stringify(settings.json)}`);
    const steps = new PersonAtSteps(stack, opts.shopId, opts.person);
    steps.start();
    cleanups.push(() => steps.stop());
    return { shopId: opts.shopId, stack, steps, pager, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** A free port for our API, known before the emulator starts (its consent page redirects there). */
export const ourApiPort = (): Promise<number> => freePort();
