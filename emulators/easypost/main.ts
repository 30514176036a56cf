// CLI: `node dist/emulators/easypost/main.js` starts the EasyPost tracker emulator (scripts/startStack.ts runs it
// when EASYPOST_API_KEY is unset). Env: EASYPOST_EMULATOR_PORT (default 9110), EASYPOST_EMULATOR_API_KEY (the key it
// accepts), EASYPOST_EMULATOR_WEBHOOK_URL and EASYPOST_WEBHOOK_SECRET (where tracker.updated Events go, signed).
import { startEasyPostEmulator } from './server';

async function main(): Promise<void> {
  const url = process.env.EASYPOST_EMULATOR_WEBHOOK_URL || undefined;
  const secret = process.env.EASYPOST_WEBHOOK_SECRET || undefined;
  const emulator = await startEasyPostEmulator({
    port: Number(process.env.EASYPOST_EMULATOR_PORT ?? 9110),
    host: process.env.EMULATOR_HOST ?? '127.0.0.1',
    apiKeys: [process.env.EASYPOST_EMULATOR_API_KEY ?? 'EZTK_emulator'],
    webhook: url && secret ? { url, secret } : undefined,
  });
  console.log(`EasyPost emulator listening on ${emulator.baseUrl} (webhooks: ${url ?? 'none'})`);
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
