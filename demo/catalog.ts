// Catalog: an ERP export (CSV) is imported and matched to the shop's TikTok SKUs; warehouse counts then reach TikTok
// through each product's inventory feed, less the safety buffer the export sets.
import { DemoError, seconds, type DemoScenario } from './scenario';

const SAFETY_BUFFER = 2;

export const catalogDemo: DemoScenario = {
  name: 'catalog',
  summary: "a CSV catalog export imported and matched to TikTok's SKUs; warehouse counts pushed to TikTok",
  async run(ctx) {
    const { shopId, warehouseId, skus } = ctx.shop;
    const csv = ['type,parent_key,seller_sku,title,safety_buffer'];
    for (const productId of new Set(skus.map((s) => s.productId))) {
      csv.push(`parent,P${productId},,Demo product ${productId},`);
      for (const s of skus.filter((x) => x.productId === productId)) {
        csv.push(`variant,P${productId},${s.sellerSku},,${SAFETY_BUFFER}`);
      }
    }
    const started = Date.now();
    const accepted = await ctx.api('POST', `/v1/shops/${shopId}/catalog/imports`, csv.join('\n'), {
      headers: { 'content-type': 'text/csv' },
    });
    const report = await ctx.until('the catalog import report', async () => {
      const r = (await ctx.api('GET', `/v1/shops/${shopId}/catalog/imports/${accepted.json.id}`)).json;
      return r.status === 'completed' || r.status === 'failed' ? r : undefined;
    });
    if (report.status !== 'completed' || report.rowsImported !== skus.length) {
      throw new DemoError(
        `the import ${report.status} with ${report.rowsImported}/${skus.length} rows: ${JSON.stringify(report.errors ?? report.failure)}`,
      );
    }
    ctx.log(`catalog imported: ${report.rowsImported} variants in ${seconds(Date.now() - started)}`);

    // Counts the warehouse reports now (a sequence newer than any earlier run's), one per SKU: 10 + i units more than
    // TikTok shows with the buffer, so each differs from what TikTok has and from what the feed last pushed (a repeat
    // of the same counts changes nothing, while TikTok has taken sold units off its own quantity since).
    const sequence = Date.now();
    const counts = skus.map((s, i) => ({ sku: s, onHand: s.available + SAFETY_BUFFER + 10 + i }));
    const pushedAt = Date.now();
    const events = await ctx.api(
      'POST',
      '/v1/inventory/events',
      counts.map(({ sku, onHand }) => ({
        shopId,
        sellerSku: sku.sellerSku,
        warehouseId,
        onHand,
        sequence,
        occurredAt: new Date().toISOString(),
      })),
    );
    if (events.json.rejected?.length)
      throw new DemoError(`stock events rejected: ${JSON.stringify(events.json.rejected)}`);
    for (const { sku, onHand } of counts) {
      await ctx.until(`${sku.sellerSku} at ${onHand - SAFETY_BUFFER} on TikTok`, async () => {
        const { products } = await ctx.emulator(`/products?shop_id=${shopId}`);
        const onTikTok = (products as { skus: { id: string; inventory: Record<string, { available: number }> }[] }[])
          .flatMap((p) => p.skus)
          .find((s) => s.id === sku.skuId);
        return onTikTok?.inventory[warehouseId]?.available === onHand - SAFETY_BUFFER;
      });
    }
    return (
      `${report.rowsImported} variants imported (${report.rowsRejected} rejected); warehouse counts of ` +
      `${counts.length} SKUs on TikTok within ${seconds(Date.now() - pushedAt)}: ` +
      counts
        .map(({ sku, onHand }) => `${sku.sellerSku} ${onHand} − buffer ${SAFETY_BUFFER} = ${onHand - SAFETY_BUFFER}`)
        .join(', ')
    );
  },
};
