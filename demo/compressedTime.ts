// Compressed time without a restart (issue 15 item 5). The product takes every platform deadline from what TikTok
// states (an order's status webhooks, a return's seller_next_action_response[].deadline) and every offset before one
// from the shop's settings, so a demo shortens the platform's windows in the emulator (POST /__admin/rules) and the
// offsets in the demo shop's settings (PATCH /v1/shops/:shopId/settings), and puts both back afterwards. README
// "Compressed time (demos and benchmarks)" lists every window and offset, compressed here or not.
import { compressedDuration, compressedMs, type DemoContext } from './scenario';

/** The demo's factor: TikTok's 48-hour return window lasts one minute, the offsets before it shrink alike. */
export const DEFAULT_COMPRESSION = 2880;

/**
 * Platform windows the demo shortens: the emulator rule and the real duration it stands for (emulator defaults,
 * emulators/tiktok-shop/rules.ts, with their sources). Rules an emulator does not have are skipped.
 */
export const COMPRESSED_RULES: readonly { rule: string; real: string }[] = [
  { rule: 'remorseWindowMs', real: '1h' },
  // Also the window for confirming a returned package (the emulator uses one rule for every seller action).
  { rule: 'returnResponseWindowMs', real: '48h' },
];

interface EscalationSetting {
  beforeDeadline: string;
  severity: string;
}

/** The shop settings' offsets before a deadline (shopSettings/schema.ts), compressed. */
export function compressedOffsets(
  returns: { escalations: EscalationSetting[]; criticalBeforeDeadline: string },
  compression: number,
) {
  return {
    escalations: returns.escalations.map((e) => ({
      ...e,
      beforeDeadline: compressedDuration(e.beforeDeadline, compression),
    })),
    criticalBeforeDeadline: compressedDuration(returns.criticalBeforeDeadline, compression),
  };
}

/** Compresses the emulator's windows and the shop's offsets; returns what puts them back. */
export async function compressTime(
  ctx: Pick<DemoContext, 'api' | 'emulator' | 'shop' | 'compression'>,
  log: (line: string) => void,
): Promise<() => Promise<void>> {
  const rules = (await ctx.emulator('/rules')) as Record<string, unknown>;
  const known = COMPRESSED_RULES.filter((r) => typeof rules[r.rule] === 'number');
  const previousRules = Object.fromEntries(known.map((r) => [r.rule, rules[r.rule]]));
  await ctx.emulator('/rules', Object.fromEntries(known.map((r) => [r.rule, compressedMs(r.real, ctx.compression)])));

  const settingsPath = `/v1/shops/${encodeURIComponent(ctx.shop.shopId)}/settings`;
  const before = await ctx.api('GET', settingsPath, undefined, { accept: [404] });
  const previousSettings = before.status === 200 ? (before.json.settings as Record<string, unknown>) : undefined;
  if (previousSettings) {
    const returns = previousSettings.returns as Parameters<typeof compressedOffsets>[0];
    await ctx.api('PATCH', settingsPath, { returns: compressedOffsets(returns, ctx.compression) });
  }
  log(
    `time compressed ×${ctx.compression}: ${known.map((r) => `${r.rule} ${r.real} → ${compressedDuration(r.real, ctx.compression)}`).join(', ')}` +
      (previousSettings ? '; return escalation offsets likewise' : '; no shop settings to compress'),
  );

  return async () => {
    await ctx.emulator('/rules', previousRules);
    if (!previousSettings) return;
    const now = await ctx.api('GET', settingsPath);
    if (JSON.stringify(now.json.settings) !== JSON.stringify(previousSettings)) {
      await ctx.api('PATCH', settingsPath, previousSettings);
    }
  };
}
