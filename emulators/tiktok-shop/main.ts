// CLI: `node dist/emulators/tiktok-shop/main.js` starts the emulator and seeds a demo shop.
// Env: EMULATOR_PORT (default 9100), TIKTOK_APP_KEY, TIKTOK_APP_SECRET, EMULATOR_WEBHOOK_URL,
// EMULATOR_REDIRECT_URL.
import { seedDemoShop } from './seed';
import { startTikTokShopEmulator } from './server';

async function main(): Promise<void> {
  const appKey = process.env.TIKTOK_APP_KEY ?? 'emulator_app_key';
  const appSecret = process.env.TIKTOK_APP_SECRET ?? 'emulator_app_secret';
  const webhookUrl = process.env.EMULATOR_WEBHOOK_URL || undefined;
  const emulator = await startTikTokShopEmulator({
    port: Number(process.env.EMULATOR_PORT ?? 9100),
    host: process.env.EMULATOR_HOST ?? '127.0.0.1',
    apps: [{ appKey, appSecret, serviceId: appKey, redirectUrl: process.env.EMULATOR_REDIRECT_URL || undefined }],
    webhookUrl,
    allowLoopbackWebhookHttp: true,
  });
  const demo = seedDemoShop(emulator.platform);
  const token = demo.tokens[0] ?? {};
  console.log(`TikTok Shop emulator listening on ${emulator.url}`);
  console.log(
    JSON.stringify(
      {
        url: emulator.url,
        app_key: appKey,
        shop_id: demo.shop.id,
        shop_cipher: demo.shop.cipher,
        access_token: token.access_token,
        refresh_token: token.refresh_token,
        skus: demo.products.flatMap((pr) =>
          pr.skus.map((s) => ({ product_id: pr.id, sku_id: s.id, seller_sku: s.sellerSku })),
        ),
        webhook_url: webhookUrl ?? null,
      },
      null,
      2,
    ),
  );
  const stop = (): void => {
    emulator
      .close()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
