/**
 * Which of a category's certification rules (Get Category Rules `product_certifications[]`: an id and a display name
 * such as "Certificate of Analysis (COA)") a vault document (policy/certificateRules.ts document types) fills. TikTok
 * publishes no list of certification ids or names per category, so the match is by name: each document type has the
 * words its certification's name is known by. A document that matches no rule is not attached (the caller reports it).
 */
const NAME_PATTERNS: Record<string, RegExp> = {
  certificate_of_analysis: /certificate of analysis|\bcoa\b|lab(oratory)? test/i,
  fda_food_facility_registration: /food facility|fda (food )?registration/i,
  fda_device_establishment_registration: /device establishment|medical device registration|\bfei\b/i,
  fda_cosmetic_listing: /cosmetic (product )?listing|mocra/i,
  ul_certificate: /\bul\b|underwriters laboratories/i,
  fcc_authorization: /\bfcc\b/i,
  childrens_product_certificate: /children'?s product certificate|\bcpc\b/i,
  brand_authorization: /brand authori[sz]ation/i,
};

/** The id of the first rule whose name the document type is known by, or undefined. */
export function certificationRuleFor(
  documentType: string,
  rules: readonly { id: string; name: string }[],
): string | undefined {
  const pattern = NAME_PATTERNS[documentType];
  if (!pattern) return undefined;
  return rules.find((r) => pattern.test(r.name))?.id;
}
