// TikTok's shipping provider names (Get Shipping Providers, the names sellers ship US orders with:
// https://partner.tiktokshop.com/docv2/page/get-shipping-providers-202309) → EasyPost's carrier codes (the `carrier` a
// Tracker is created with; EasyPost's carrier guides name them: https://docs.easypost.com/carriers/usps-guide,
// https://docs.easypost.com/carriers/ups-guide, https://docs.easypost.com/carriers/fedex-guide,
// https://docs.easypost.com/carriers/dhl-express-guide, https://docs.easypost.com/carriers/ontrac-guide,
// https://docs.easypost.com/carriers/lso-guide, https://docs.easypost.com/carriers/amazon-shipping-guide).
// A provider not listed is tracked without a carrier: EasyPost then detects it from the tracking code
// (https://docs.easypost.com/guides/tracking-guide).
const EASYPOST_CARRIERS: [RegExp, string][] = [
  [/^usps\b/i, 'USPS'],
  [/^ups\b/i, 'UPS'],
  [/^fed\s?ex\b/i, 'FedEx'],
  [/^dhl(\s+express)?$/i, 'DHLExpress'],
  [/^ontrac\b/i, 'OnTrac'],
  [/^(lso|lone star overnight)\b/i, 'LSO'],
  [/^amazon\s+shipping\b/i, 'AmazonShipping'],
];

/** EasyPost's carrier code for a TikTok shipping provider name ('' when unknown: EasyPost detects it). */
export function easyPostCarrier(tiktokProviderName: string | null | undefined): string {
  const name = (tiktokProviderName ?? '').trim();
  return EASYPOST_CARRIERS.find(([pattern]) => pattern.test(name))?.[1] ?? '';
}
