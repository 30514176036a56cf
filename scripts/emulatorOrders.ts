/**
 * `npm run emulator:orders -- [count] [--shop <shopId>]`: makes the local TikTok Shop emulator (started by
 * `npm start`) place paid orders for the demo shop, one random in-stock SKU each. Their ORDER_STATUS_CHANGE
 * webhooks reach our receiver once the shop is connected.
 */
import { ConfigError, loadConfig } from '../config';
import { parseCommandLine, UsageError } from './commandLine';

class EmulatorOrdersError extends Error {
  override name = 'EmulatorOrdersError';
}

interface AdminProduct {
  id: string;
  shop_id: string;
  status: string;
  skus: { id: string; seller_sku: string; inventory: Record<string, { available?: number } | number> }[];
}

async function admin<T>(base: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${base}/__admin${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new EmulatorOrdersError(`no emulator at ${base}: start the stack with \`npm start\` first`);
  }
  const json = (await res.json()) as T;
  if (!res.ok) throw new EmulatorOrdersError(`emulator ${path} answered HTTP ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine(
    'npm run emulator:orders -- [count] [--shop <shopId>]',
    { shop: { type: 'string' } },
    { positionals: true },
  );
  if (positionals.length > 1) throw new UsageError(`one count at most, not ${positionals.join(' ')}`);
  const shopArg = values.shop;
  const count = positionals[0] === undefined ? 5 : /^\d+$/.test(positionals[0]) ? Number(positionals[0]) : NaN;
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new EmulatorOrdersError('count must be 1–10000');
  const cfg = loadConfig();
  const base = `http://127.0.0.1:${cfg.EMULATOR_PORT}`;
  const { shops } = await admin<{ shops: { id: string; name: string }[] }>(base, '/shops');
  const shop = shopArg ? shops.find((s) => s.id === shopArg) : (shops.find((s) => s.name === 'Demo Shop') ?? shops[0]);
  if (!shop)
    throw new EmulatorOrdersError(shopArg ? `the emulator has no shop ${shopArg}` : 'the emulator has no shop');
  const { products } = await admin<{ products: AdminProduct[] }>(base, `/products?shop_id=${shop.id}`);
  const skus = products.filter((p) => p.status === 'ACTIVATE').flatMap((p) => p.skus.map((s) => s.id));
  if (skus.length === 0) throw new EmulatorOrdersError(`shop ${shop.id} has no active SKU to order`);
  const orders = Array.from({ length: count }, () => ({
    shop_id: shop.id,
    items: [{ sku_id: skus[Math.floor(Math.random() * skus.length)]!, quantity: 1 }],
    paid: true,
  }));
  const result = await admin<{ placed: string[]; refused: { index: number; error: string }[] }>(base, '/orders/bulk', {
    orders,
  });
  process.stdout.write(
    `placed ${result.placed.length} order(s) in ${shop.name} (${shop.id})` +
      (result.refused.length ? `; ${result.refused.length} refused (${result.refused[0]!.error})` : '') +
      '\n',
  );
  for (const id of result.placed) process.stdout.write(`  ${id}\n`);
}

main().catch((err: unknown) => {
  const known = err instanceof EmulatorOrdersError || err instanceof ConfigError || err instanceof UsageError;
  process.stderr.write(`${known ? `${err.name}: ${err.message}` : String((err as Error).stack ?? err)}\n`);
  process.exit(1);
});
