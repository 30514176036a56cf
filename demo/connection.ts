// Connection: the seller revokes the app in TikTok; the shop's workflow pauses its calls and pages with a
// re-authorization link; the seller follows that link and the shop is connected again.
import { DemoError, seconds, type DemoContext, type DemoScenario } from './scenario';

interface Notification {
  id: string;
  kind: string;
  severity: string;
  links: { label: string; url: string }[];
}

/** Notifications of the demo shop (newest first) that were not in `seen`. */
export async function newNotifications(ctx: DemoContext, seen: Set<string>): Promise<Notification[]> {
  const { json } = await ctx.api('GET', `/v1/notifications?shopId=${ctx.shop.shopId}&limit=200`);
  return (json.notifications as Notification[]).filter((n) => !seen.has(String(n.id)));
}

/** Ids of the demo shop's notifications so far: what a scenario waits for is a notification after them. */
export async function notificationsSoFar(ctx: DemoContext): Promise<Set<string>> {
  return new Set((await newNotifications(ctx, new Set())).map((n) => String(n.id)));
}

const authorization = async (ctx: DemoContext): Promise<string> =>
  (await ctx.api('GET', `/v1/shops/${ctx.shop.shopId}`)).json.authorization as string;

export const connectionDemo: DemoScenario = {
  name: 'connection',
  summary: 'the seller revokes the app, the shop pauses and pages with a link, the seller re-consents through it',
  async run(ctx) {
    const seen = await notificationsSoFar(ctx);
    const revokedAt = Date.now();
    const { revoked } = await ctx.emulator('/tokens/revoke', { open_id: ctx.shop.openId, deauthorize: true });
    ctx.log(`the seller revoked the app in TikTok (${revoked} token(s))`);
    await ctx.until('the shop paused as revoked', async () => (await authorization(ctx)) === 'revoked');
    const pausedMs = Date.now() - revokedAt;
    const page = await ctx.until('the critical notification with a re-authorization link', async () =>
      (await newNotifications(ctx, seen)).find((n) => n.kind === 'authorization_revoked'),
    );
    const link = page.links.find((l) => /authorize/.test(l.url))?.url;
    if (page.severity !== 'critical' || !link) {
      throw new DemoError(`the revocation notification is ${page.severity} with links ${JSON.stringify(page.links)}`);
    }
    ctx.log('the seller follows the link from the notification');
    const consentAt = Date.now();
    await ctx.connectShop(link);
    const reconnectedMs = Date.now() - consentAt;
    await ctx.until('the restored notification', async () =>
      (await newNotifications(ctx, seen)).some((n) => n.kind === 'authorization_restored'),
    );
    return (
      `revoked in TikTok → shop paused after ${seconds(pausedMs)} with a critical notification and its ` +
      `re-authorization link; consent through that link → connected again (tokens, webhooks) in ${seconds(reconnectedMs)}`
    );
  },
};
