// Why a product failed its audit. Webhook 37 carries only the status (and `pre_approved_reasons` while pre-approved):
// the failure's reasons are Get Product's `audit_failed_reasons[]` (position, reasons, suggestions), reference §7.2
// (integrations/tiktok/products.ts).
import type { TikTokClient } from '../../integrations/tiktok/client';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import type { TokenStore } from '../../integrations/tiktok/tokenStore';

export interface AuditReasonDeps {
  tiktok: { client: TikTokClient };
  tokens: Pick<TokenStore, 'shopRef'>;
}

export function createAuditReasonActivities(deps: AuditReasonDeps) {
  return {
    /** The product's audit status and every reason TikTok gives for a failure (empty when it gives none). */
    async readProductAuditReasons(input: {
      shopId: string;
      productId: string;
    }): Promise<{ status?: string; reasons: string[] }> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const product = await callEndpoint(deps.tiktok.client, endpoints.getProduct, shop, {
        product_id: input.productId,
      });
      return {
        ...(product.audit?.status ? { status: product.audit.status } : {}),
        reasons: (product.audit_failed_reasons ?? []).flatMap((r) => r.reasons),
      };
    },
  };
}
