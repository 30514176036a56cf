// A local stand-in for the part of EasyPost's API we call (issue 16 item 1): POST /v2/trackers and
// GET /v2/trackers/:id with HTTP Basic auth (the API key as user name, as the official SDK sends it), EasyPost's
// error envelope `{ error: { code, message, errors } }` (https://docs.easypost.com/docs/errors), and `tracker.updated`
// webhook Events signed as EasyPost signs them (signing.ts). Histories come from stories.ts; which story a tracking
// code tells is chosen by the code or scripted through the admin API (README.md here).
import crypto from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import {
  DEFAULT_PLACES,
  STORY_NAMES,
  storyEvents,
  storyForCode,
  storyLengthMs,
  type Place,
  type StoryName,
  type StoryPlaces,
} from './stories';
import { easyPostJson, SIGNATURE_HEADER, webhookSignature } from './signing';

export interface EasyPostEmulatorOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Keys accepted; EZTK… keys answer in test mode, others in production mode. */
  apiKeys: string[];
  /** Where tracker.updated Events go, and the secret they are signed with. */
  webhook?: { url: string; secret: string };
  /** How often trackers are checked for newly due events (real ms). Default 250. */
  tickMs?: number;
  /** Delays before each redelivery of a webhook that was not answered 2xx (real ms). */
  retryDelaysMs?: number[];
  now?: () => number;
}

/** A tracking code's story as scripted through the admin API. */
export interface TrackerScript {
  story: StoryName;
  /** Epoch ms of the shipment (the label); the story's events are offsets from it. */
  shippedAt: number;
  /** 1: the story's hours are real hours; 1/3600: an hour a second (compressed demos). */
  timeScale: number;
  places: StoryPlaces;
  carrier?: string;
  signedBy?: string;
  service?: string;
}

interface TrackerState {
  id: string;
  code: string;
  carrier: string;
  mode: 'test' | 'production';
  createdAt: number;
  /** Events already announced by a webhook (or present at creation). */
  announced: number;
  lastStatus: string;
}

export interface WebhookDelivery {
  eventId: string;
  trackerId: string;
  url: string;
  attempt: number;
  status: number | null;
  error?: string;
  at: string;
}

export interface RunningEasyPostEmulator {
  /** Base URL for the SDK (`…/v2/`). */
  baseUrl: string;
  /** The server's origin (admin API under /__admin). */
  url: string;
  script(code: string, script: Partial<TrackerScript>): TrackerScript;
  setWebhook(webhook: { url: string; secret: string } | undefined): void;
  /** Sends tracker.updated for a tracker now, whether or not anything changed. */
  announce(trackerId: string): Promise<void>;
  deliveries: WebhookDelivery[];
  close(): Promise<void>;
}

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const hex = (bytes: number) => crypto.randomBytes(bytes).toString('hex');

const location = (p: Place | null) => ({
  object: 'TrackingLocation',
  city: p?.city ?? null,
  state: p?.state ?? null,
  country: p ? (p.country ?? 'US') : null,
  zip: p?.zip ?? null,
});
const placeLine = (p: Place) => `${p.city} ${p.state}, ${p.zip}`;

function apiError(res: Response, status: number, code: string, message: string, errors: unknown[] = []): void {
  res.status(status).json({ error: { code, message, errors } });
}

export async function startEasyPostEmulator(opts: EasyPostEmulatorOptions): Promise<RunningEasyPostEmulator> {
  const now = opts.now ?? (() => Date.now());
  const scripts = new Map<string, TrackerScript>();
  const trackers = new Map<string, TrackerState>();
  const byCode = new Map<string, string>();
  const deliveries: WebhookDelivery[] = [];
  let webhook = opts.webhook;
  const retryDelays = opts.retryDelaysMs ?? [1_000, 5_000, 30_000];

  const scriptOf = (t: TrackerState): TrackerScript => {
    const scripted = scripts.get(t.code.toUpperCase());
    if (scripted) return scripted;
    // Unscripted: a parcel shipped long enough ago for its whole story to be told (as EasyPost answers for a code
    // it has followed all along, and for its test codes).
    const story = storyForCode(t.code);
    return {
      story,
      shippedAt: t.createdAt - storyLengthMs(story) - 3_600_000,
      timeScale: 1,
      places: DEFAULT_PLACES,
    };
  };

  /** The Tracker object as EasyPost returns it, as of now. */
  const render = (t: TrackerState) => {
    const s = scriptOf(t);
    const all = storyEvents(s.story, s.shippedAt, s.places, s.timeScale);
    const visible = all.filter((e) => e.at <= now());
    const last = visible.at(-1);
    const delivered = visible.filter((e) => e.status === 'delivered').at(-1);
    const attempt = visible.find((e) => e.statusDetail === 'delivery_exception') ?? delivered;
    const updatedAt = Math.max(t.createdAt, last?.at ?? 0);
    const lastStep = all.at(-1)!;
    return {
      id: t.id,
      object: 'Tracker',
      mode: t.mode,
      tracking_code: t.code,
      status: last?.status ?? 'unknown',
      status_detail: last?.statusDetail ?? 'unknown',
      created_at: iso(t.createdAt),
      updated_at: iso(updatedAt),
      signed_by: delivered ? (s.signedBy ?? null) : null,
      weight: null,
      est_delivery_date: iso(lastStep.at),
      shipment_id: null,
      carrier: t.carrier,
      tracking_details: visible.map((e) => ({
        object: 'TrackingDetail',
        message: e.message,
        description: '',
        status: e.status,
        status_detail: e.statusDetail,
        datetime: iso(e.at),
        source: t.carrier,
        carrier_code: '',
        tracking_location: location(e.location),
      })),
      carrier_detail: {
        object: 'CarrierDetail',
        service: s.service ?? 'Ground Advantage',
        container_type: null,
        est_delivery_date_local: null,
        est_delivery_time_local: null,
        origin_location: placeLine(s.places.origin),
        origin_tracking_location: location(s.places.origin),
        destination_location: placeLine(s.places.destination),
        destination_tracking_location: location(s.places.destination),
        guaranteed_delivery_date: null,
        alternate_identifier: null,
        initial_delivery_attempt: attempt ? iso(attempt.at) : null,
      },
      finalized: lastStep.at <= now(),
      is_return: false,
      // EasyPost's public page is addressed by the base64 of "v1:<tracker id>".
      public_url: `https://track.easypost.com/${Buffer.from(`v1:${t.id}`).toString('base64url')}`,
      fees: [],
    };
  };
  const visibleCount = (t: TrackerState) => render(t).tracking_details.length;

  const deliver = async (event: Record<string, unknown>, trackerId: string, attempt: number): Promise<void> => {
    const target = webhook;
    if (!target) return;
    const body = easyPostJson(event);
    const record: WebhookDelivery = {
      eventId: String(event.id),
      trackerId,
      url: target.url,
      attempt,
      status: null,
      at: new Date().toISOString(),
    };
    deliveries.push(record);
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: webhookSignature(body, target.secret) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      record.status = res.status;
      await res.arrayBuffer();
      if (res.ok) return;
    } catch (err) {
      record.error = (err as Error).message;
    }
    const delay = retryDelays[attempt - 1];
    if (delay !== undefined) {
      setTimeout(() => void deliver(event, trackerId, attempt + 1), delay).unref();
    }
  };

  const announce = async (t: TrackerState): Promise<void> => {
    const tracker = render(t);
    t.announced = tracker.tracking_details.length;
    const previous = t.lastStatus;
    t.lastStatus = tracker.status;
    const at = iso(now());
    const event = {
      id: `evt_${hex(16)}`,
      object: 'Event',
      mode: t.mode,
      description: 'tracker.updated',
      previous_attributes: previous === tracker.status ? {} : { status: previous },
      result: tracker,
      status: 'pending',
      pending_urls: webhook ? [webhook.url] : [],
      completed_urls: [],
      created_at: at,
      updated_at: at,
    };
    await deliver(event, t.id, 1);
  };

  const app = express();
  app.disable('x-powered-by');

  // --- admin API (unsigned; a local tool) ---------------------------------------------------------------------
  app.get('/__admin/health', (_req, res) => {
    res.json({ ok: true, trackers: trackers.size });
  });
  app.post('/__admin/trackers', express.json(), (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    if (typeof b.tracking_code !== 'string' || !b.tracking_code) {
      res.status(400).json({ error: 'tracking_code is required' });
      return;
    }
    if (b.story !== undefined && !STORY_NAMES.includes(b.story as StoryName)) {
      res.status(400).json({ error: `story must be one of ${STORY_NAMES.join(', ')}` });
      return;
    }
    const shippedAt = typeof b.shipped_at === 'string' ? Date.parse(b.shipped_at) : undefined;
    if (Number.isNaN(shippedAt)) {
      res.status(400).json({ error: 'shipped_at must be an ISO 8601 time' });
      return;
    }
    const script = api.script(b.tracking_code, {
      story: b.story as StoryName | undefined,
      shippedAt,
      timeScale: typeof b.time_scale === 'number' ? b.time_scale : undefined,
      places: {
        origin: (b.origin as Place | undefined) ?? DEFAULT_PLACES.origin,
        destination: (b.destination as Place | undefined) ?? DEFAULT_PLACES.destination,
        ...(b.delivered_at ? { deliveredAt: b.delivered_at as Place } : {}),
      },
      ...(typeof b.signed_by === 'string' ? { signedBy: b.signed_by } : {}),
      ...(typeof b.carrier === 'string' ? { carrier: b.carrier } : {}),
      ...(typeof b.service === 'string' ? { service: b.service } : {}),
    });
    res.status(201).json({ tracking_code: b.tracking_code, ...script, shippedAt: new Date(script.shippedAt) });
  });
  app.post('/__admin/webhook', express.json(), (req, res) => {
    const b = (req.body ?? {}) as { url?: string; secret?: string };
    api.setWebhook(b.url && b.secret ? { url: b.url, secret: b.secret } : undefined);
    res.json({ url: webhook?.url ?? null });
  });
  app.post('/__admin/trackers/:id/announce', async (req, res) => {
    const t = trackers.get(String(req.params.id));
    if (!t) {
      res.status(404).json({ error: 'no such tracker' });
      return;
    }
    await announce(t);
    res.json({ announced: t.announced });
  });
  app.get('/__admin/deliveries', (_req, res) => {
    res.json({ deliveries });
  });

  // --- the API -------------------------------------------------------------------------------------------------
  const auth = (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization ?? '';
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    if (!basic) {
      apiError(res, 401, 'APIKEY.REQUIRED', 'No API key provided. Provide your API key via HTTP Basic Auth.');
      return;
    }
    const user = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0] ?? '';
    if (!opts.apiKeys.includes(user)) {
      apiError(res, 401, 'APIKEY.INVALID', 'The API key provided is invalid or inactive.');
      return;
    }
    res.locals.mode = user.startsWith('EZTK') ? 'test' : 'production';
    next();
  };

  app.post('/v2/trackers', auth, express.json({ limit: '64kb' }), (req, res) => {
    const params = (req.body as { tracker?: { tracking_code?: unknown; carrier?: unknown } } | undefined)?.tracker;
    const code = typeof params?.tracking_code === 'string' ? params.tracking_code.trim() : '';
    if (!code) {
      apiError(res, 422, 'PARAMETER.REQUIRED', 'Missing required parameter.', [
        { field: 'tracker.tracking_code', message: 'cannot be blank' },
      ]);
      return;
    }
    if (params?.carrier !== undefined && typeof params.carrier !== 'string') {
      apiError(res, 422, 'PARAMETER.INVALID', 'Invalid parameter.', [
        { field: 'tracker.carrier', message: 'must be a string' },
      ]);
      return;
    }
    const carrier = params?.carrier || scripts.get(code.toUpperCase())?.carrier || 'USPS';
    // The same code and carrier again: EasyPost returns the tracker it already has rather than a second one.
    const key = `${res.locals.mode as string}|${carrier.toUpperCase()}|${code.toUpperCase()}`;
    const existing = byCode.get(key);
    let t = existing ? trackers.get(existing) : undefined;
    if (!t) {
      t = {
        id: `trk_${hex(16)}`,
        code,
        carrier,
        mode: res.locals.mode as 'test' | 'production',
        createdAt: now(),
        announced: 0,
        lastStatus: 'unknown',
      };
      trackers.set(t.id, t);
      byCode.set(key, t.id);
      t.announced = visibleCount(t);
      t.lastStatus = render(t).status;
    }
    res.json(render(t));
  });

  app.get('/v2/trackers/:id', auth, (req, res) => {
    const t = trackers.get(String(req.params.id));
    if (!t) {
      apiError(res, 404, 'NOT_FOUND', 'The requested resource could not be found.');
      return;
    }
    res.json(render(t));
  });

  app.use((_req: Request, res: Response) => {
    apiError(res, 404, 'NOT_FOUND', 'The requested resource could not be found.');
  });
  // A body that is not JSON: EasyPost answers 400 with its envelope.
  app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    apiError(res, err.status && err.status < 500 ? err.status : 500, 'BAD_REQUEST', err.message);
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${opts.host ?? '127.0.0.1'}:${port}`;

  // Newly due events become tracker.updated webhooks, the way EasyPost pushes a carrier's scans.
  const tick = setInterval(() => {
    if (!webhook) return;
    for (const t of trackers.values()) {
      if (visibleCount(t) > t.announced) void announce(t);
    }
  }, opts.tickMs ?? 250);
  tick.unref();

  const api: RunningEasyPostEmulator = {
    baseUrl: `${url}/v2/`,
    url,
    deliveries,
    script(code, partial) {
      const story = partial.story ?? storyForCode(code);
      const full: TrackerScript = {
        story,
        shippedAt: partial.shippedAt ?? now(),
        timeScale: partial.timeScale ?? 1,
        places: partial.places ?? DEFAULT_PLACES,
        ...(partial.carrier ? { carrier: partial.carrier } : {}),
        ...(partial.signedBy ? { signedBy: partial.signedBy } : {}),
        ...(partial.service ? { service: partial.service } : {}),
      };
      scripts.set(code.toUpperCase(), full);
      return full;
    },
    setWebhook(w) {
      webhook = w;
    },
    async announce(trackerId) {
      const t = trackers.get(trackerId);
      if (!t) throw new Error(`no tracker ${trackerId}`);
      await announce(t);
    },
    async close() {
      clearInterval(tick);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}
