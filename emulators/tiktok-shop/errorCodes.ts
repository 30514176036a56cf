// Every error code the emulator answers, per situation and endpoint, with its public source. A row is `verified`
// when the published page of that endpoint (or a captured live response) gives that code for that situation;
// otherwise the code is the emulator's best reading, marked `verified: false`, and can be changed without a code
// change: `startTikTokShopEmulator({ errorCodes: { situation: code } })` or `POST /__admin/error-codes`.
//
// Endpoint pages: https://partner.tiktokshop.com/docv2/page/<slug> (each lists its error codes).
import { ApiError } from './envelope';

const DOC = 'https://partner.tiktokshop.com/docv2/page/';
const COMMON = `${DOC}common-errors`;
const page = (slug: string): string => DOC + slug;

// Route keys: `METHOD path-template`, as in routes.ts.
const MARK_SHIPPED = 'POST /fulfillment/202309/orders/{order_id}/packages';
const CREATE_PACKAGES = 'POST /fulfillment/202309/packages';
const SHIP_PACKAGE = 'POST /fulfillment/202309/packages/{package_id}/ship';
const SHIPPING_DOCUMENT = 'GET /fulfillment/202309/packages/{package_id}/shipping_documents';
const UPDATE_SHIPPING = 'POST /fulfillment/202309/orders/{order_id}/shipping_info/update';
const UPDATE_PACKAGE_SHIPPING = 'POST /fulfillment/202309/packages/{package_id}/shipping_info/update';
const GET_PRODUCT = 'GET /product/202309/products/{product_id}';
const CREATE_PRODUCT = 'POST /product/202309/products';
const UPDATE_INVENTORY = 'POST /product/202309/products/{product_id}/inventory/update';
const APPROVE_CANCELLATION = 'POST /return_refund/202309/cancellations/{cancel_id}/approve';
const REJECT_CANCELLATION = 'POST /return_refund/202309/cancellations/{cancel_id}/reject';
const APPROVE_RETURN = 'POST /return_refund/202309/returns/{return_id}/approve';
const REJECT_RETURN = 'POST /return_refund/202309/returns/{return_id}/reject';
export const TOKEN_GET = 'GET /api/v2/token/get';
export const TOKEN_REFRESH = 'GET /api/v2/token/refresh';
const UPLOAD_IMAGE = 'POST /product/202309/images/upload';
const UPLOAD_FILE = 'POST /product/202309/files/upload';
const CREATE_OPEN_COLLABORATION = 'POST /affiliate_seller/202412/open_collaborations';
const EDIT_OPEN_SETTINGS = 'POST /affiliate_seller/202405/open_collaboration_settings';
const CREATE_TARGET = 'POST /affiliate_seller/202508/target_collaborations';
const TARGET_DETAIL = 'GET /affiliate_seller/202508/target_collaborations/{target_collaboration_id}';
const UPDATE_TARGET = 'PUT /affiliate_seller/202508/target_collaborations/{target_collaboration_id}';
const CREATOR_PERFORMANCE = 'GET /affiliate_seller/202508/marketplace_creators/{creator_user_id}';

export const SITUATIONS = [
  // gateway (every endpoint)
  'too_many_requests',
  'internal_error',
  'invalid_credentials',
  'unexpected_identifier',
  'unknown_shop_cipher',
  'invalid_param',
  'invalid_path',
  'invalid_method',
  'invalid_version',
  'bad_content_type',
  'multipart_required',
  'file_too_large',
  'wrong_shop_token',
  'token_invalid',
  'token_expired',
  'bad_sign',
  'shop_cipher_missing',
  // idempotency_key (query or body)
  'idempotency_key_invalid',
  'idempotency_key_conflict',
  // auth host
  'token_app_invalid',
  'token_grant_type_invalid',
  'auth_code_invalid',
  'auth_code_used',
  'auth_code_expired',
  'refresh_token_invalid',
  'refresh_token_revoked',
  'refresh_token_expired',
  // fulfillment and logistics
  'not_seller_shipped',
  'not_tiktok_shipping',
  'order_cancelled',
  'already_shipped',
  'status_forbids_shipping',
  'bad_tracking',
  'package_not_found',
  'package_other_shop',
  'shipping_document_not_tiktok',
  'not_shipped_yet',
  'split_order_update',
  'warehouse_not_found',
  'delivery_option_not_found',
  // orders
  'order_not_found',
  'external_order_not_found',
  'external_order_invalid',
  // products
  'product_not_found',
  'activate_product_not_found',
  'product_status_forbids',
  'sku_list_empty',
  'product_title_missing',
  'product_description_missing',
  'product_category_invalid',
  'product_main_image_missing',
  'product_main_image_unknown',
  'product_certification_image_unknown',
  'product_certification_file_unknown',
  'product_package_weight_invalid',
  'product_sku_count',
  'product_price_invalid',
  'product_quantity_invalid',
  // categories and certifications (category ungating)
  'category_not_found',
  'category_not_leaf',
  'category_version_invalid',
  'category_restricted',
  'category_restricted_pending',
  'certification_required_missing',
  'certification_id_unknown',
  'certification_id_duplicate',
  'certification_expiry_invalid',
  // after-sales
  'cancellation_not_found',
  'return_not_found',
  'aftersale_invalid_status',
  'unknown_reason',
  'order_already_cancelled',
  'reason_status_mismatch',
  'return_cannot_approve',
  'cancellation_already_shipped',
  'decision_type_mismatch',
  'return_cancelled',
  'return_in_arbitration',
  'reject_image_unknown',
  // uploads
  'upload_file_missing',
  'upload_use_case_invalid',
  'upload_image_format',
  'upload_image_unreadable',
  'upload_image_too_large',
  'upload_image_dimensions',
  'upload_file_empty',
  'upload_file_name_missing',
  'upload_file_name_invalid',
  'upload_file_format',
  'upload_file_too_large',
  // affiliate (issue 21)
  'commission_rate_out_of_range',
  'open_collaboration_exists',
  'open_collaboration_not_found',
  'target_collaboration_not_found',
  'target_collaboration_expired',
  'creator_unavailable',
  'creator_not_found',
  'analytics_dates_invalid',
] as const;
export type Situation = (typeof SITUATIONS)[number];

export interface ErrorCodeRow {
  situation: Situation;
  code: number;
  /** Route keys the row is for; '*' = any endpoint without a row of its own for the situation. */
  apis: readonly string[] | '*';
  verified: boolean;
  /** Public page (or captured response) the code comes from; for an unverified row, the nearest evidence. */
  source: string;
  note?: string;
}

const row = (
  situation: Situation,
  code: number,
  apis: readonly string[] | '*',
  verified: boolean,
  source: string,
  note?: string,
): ErrorCodeRow => ({ situation, code, apis, verified, source, ...(note === undefined ? {} : { note }) });

export const ERROR_CODE_TABLE: readonly ErrorCodeRow[] = [
  // ---- gateway: the common-errors page, checks in the order of openApi.ts
  row('too_many_requests', 36009002, '*', true, COMMON),
  row('internal_error', 36009003, '*', true, COMMON),
  row('invalid_credentials', 36009004, '*', true, COMMON, 'app_key, sign missing, token header, timestamp window'),
  row('unexpected_identifier', 36009004, '*', true, COMMON, 'shop_cipher sent where the endpoint takes none'),
  row('unknown_shop_cipher', 36009004, '*', false, COMMON, 'the page lists 36009004 for an invalid shop_id only'),
  row(
    'invalid_param',
    36009004,
    '*',
    false,
    'https://github.com/EcomPHP/tiktokshop-php/issues/27',
    'captured "param body.address is missing" (36009004) for a missing parameter; for a bad value each page lists ' +
      'its own "invalid param" code (21001001, 25001001, 11050001) and which one answers is not settled',
  ),
  row('invalid_path', 36009009, '*', true, COMMON),
  row('invalid_method', 36009010, '*', true, COMMON),
  row('invalid_version', 36009014, '*', true, page('api-versioning')),
  row('bad_content_type', 36009022, '*', true, COMMON),
  row('multipart_required', 36009023, '*', true, COMMON),
  row('file_too_large', 36009021, '*', true, COMMON),
  row('wrong_shop_token', 101000, '*', true, COMMON),
  row('token_invalid', 105001, '*', true, page('creator-authorization-guide'), 'deauthorized token'),
  row('token_expired', 105002, '*', true, COMMON),
  row('bad_sign', 106001, '*', true, COMMON),
  row('shop_cipher_missing', 106013, '*', true, COMMON),
  // ---- idempotency_key: the pages give its length (255 on after-sales, 128 on Create Product) but no error code
  row('idempotency_key_invalid', 36009004, '*', false, page('approve-cancellation-202309'), 'key too long'),
  row(
    'idempotency_key_conflict',
    36009004,
    '*',
    false,
    page('approve-cancellation-202309'),
    'the same key on another request of the shop; the page only says keys must be unique',
  ),
  // ---- auth host: the authorization page publishes no error codes; two were captured from live responses
  row('token_app_invalid', 36009004, [TOKEN_GET, TOKEN_REFRESH], false, page('authorization-overview-202407')),
  row('token_grant_type_invalid', 36009004, [TOKEN_GET, TOKEN_REFRESH], false, page('authorization-overview-202407')),
  row('auth_code_invalid', 36009004, [TOKEN_GET], false, page('authorization-overview-202407')),
  row('auth_code_used', 36009004, [TOKEN_GET], false, page('authorization-overview-202407'), 'usable once'),
  row('auth_code_expired', 105002, [TOKEN_GET], false, page('authorization-overview-202407'), 'valid 30 minutes'),
  row(
    'refresh_token_invalid',
    36004005,
    [TOKEN_REFRESH],
    false,
    'https://github.com/EcomPHP/tiktokshop-php/pull/15',
    'captured "can not find related auth record" on a failed authentication; the endpoint is not named there',
  ),
  row('refresh_token_revoked', 105001, [TOKEN_REFRESH], false, page('creator-authorization-guide')),
  row(
    'refresh_token_expired',
    36004001,
    [TOKEN_REFRESH],
    true,
    'https://github.com/EcomPHP/tiktokshop-php/pull/15',
    'captured "rt has expired"',
  ),
  // ---- fulfillment and logistics
  row(
    'not_seller_shipped',
    21011004,
    [MARK_SHIPPED, UPDATE_SHIPPING, UPDATE_PACKAGE_SHIPPING],
    true,
    page('mark-package-as-shipped-202309'),
  ),
  row(
    'not_tiktok_shipping',
    21008106,
    '*',
    false,
    page('create-packages-202309'),
    'the page lists 21008106 as "cannot be used in this region"',
  ),
  row('order_cancelled', 21011041, [SHIP_PACKAGE, UPDATE_SHIPPING], true, page('ship-package-202309')),
  row('order_cancelled', 21011042, [UPDATE_PACKAGE_SHIPPING], true, page('update-package-shipping-info-202309')),
  row('order_cancelled', 21011041, '*', false, page('mark-package-as-shipped-202309'), 'not listed there'),
  row('already_shipped', 21008099, [MARK_SHIPPED, SHIP_PACKAGE], true, page('ship-package-202309')),
  row('already_shipped', 21011006, [CREATE_PACKAGES], true, page('create-packages-202309')),
  row('already_shipped', 21008099, '*', false, page('mark-package-as-shipped-202309')),
  row(
    'status_forbids_shipping',
    10007002,
    [UPDATE_SHIPPING, UPDATE_PACKAGE_SHIPPING],
    true,
    page('update-shipping-info-202309'),
  ),
  row(
    'status_forbids_shipping',
    10007002,
    '*',
    false,
    page('mark-package-as-shipped-202309'),
    'shipping during UNPAID/ON_HOLD: no code on that page',
  ),
  row(
    'bad_tracking',
    21011022,
    [MARK_SHIPPED, SHIP_PACKAGE, UPDATE_SHIPPING, UPDATE_PACKAGE_SHIPPING],
    true,
    page('mark-package-as-shipped-202309'),
  ),
  row('package_not_found', 21011028, '*', false, page('ship-package-202309'), 'listed for "another shop" only'),
  row('package_other_shop', 21011028, [SHIP_PACKAGE, UPDATE_PACKAGE_SHIPPING], true, page('ship-package-202309')),
  row('package_other_shop', 21011028, '*', false, page(`get-package-detail-202309`), 'that page lists 10006402'),
  row(
    'shipping_document_not_tiktok',
    21008017,
    [SHIPPING_DOCUMENT],
    true,
    page('get-package-shipping-document-202309'),
  ),
  row(
    'not_shipped_yet',
    21011043,
    [UPDATE_SHIPPING, UPDATE_PACKAGE_SHIPPING],
    true,
    page('update-shipping-info-202309'),
  ),
  row('split_order_update', 21011035, '*', false, page('create-packages-202309'), 'listed on Create Packages only'),
  row('warehouse_not_found', 12052097, [CREATE_PRODUCT], true, page('create-product-202309')),
  row('warehouse_not_found', 12052097, '*', false, page('get-warehouse-delivery-options-202309')),
  row('delivery_option_not_found', 21008116, '*', false, page('get-shipping-providers-202309')),
  // ---- orders
  row(
    'order_not_found',
    25007006,
    [APPROVE_CANCELLATION, REJECT_CANCELLATION, APPROVE_RETURN, REJECT_RETURN],
    true,
    page('approve-cancellation-202309'),
  ),
  row('order_not_found', 25007006, '*', false, page('approve-cancellation-202309'), 'listed on after-sales only'),
  row('external_order_not_found', 25007006, '*', false, page('add-external-order-references-202406')),
  row('external_order_invalid', 36009004, '*', false, page('add-external-order-references-202406')),
  // ---- products
  row('product_not_found', 12052032, [GET_PRODUCT, UPDATE_INVENTORY], true, page('get-product-202309')),
  row('product_not_found', 12052032, '*', true, page('deactivate-products-202309'), 'per-item error'),
  row('activate_product_not_found', 12052032, '*', false, page('activate-product-202309'), 'not listed there'),
  row('product_status_forbids', 12052901, '*', true, page('update-inventory-202309')),
  row('sku_list_empty', 12052902, '*', true, page('update-inventory-202309')),
  row('product_title_missing', 12052261, '*', true, page('create-product-202309')),
  row('product_description_missing', 12052015, '*', true, page('create-product-202309')),
  row('product_category_invalid', 12052002, '*', true, page('create-product-202309')),
  row('product_main_image_missing', 12052028, '*', true, page('create-product-202309')),
  row('product_main_image_unknown', 12052300, '*', true, page('create-product-202309')),
  row('product_certification_image_unknown', 12052650, '*', true, page('create-product-202309')),
  row('product_certification_file_unknown', 12052658, '*', true, page('create-product-202309')),
  row('product_package_weight_invalid', 12019011, '*', true, page('create-product-202309')),
  row('product_sku_count', 12052050, '*', true, page('create-product-202309')),
  row('product_price_invalid', 12052073, '*', true, page('create-product-202309')),
  row('product_quantity_invalid', 12052055, '*', true, page('create-product-202309')),
  // ---- categories and certifications: Get Categories, Get Category Rules, Partial Edit Product pages
  row('category_not_found', 12052023, '*', true, page('get-category-rules-202309')),
  row('category_not_leaf', 12052024, '*', true, page('get-category-rules-202309')),
  row('category_version_invalid', 12052217, '*', true, page('get-categories-202309'), 'US shops must pass v2'),
  row('category_restricted', 12052223, '*', true, page('get-category-rules-202309')),
  row(
    'category_restricted_pending',
    12052226,
    '*',
    false,
    page('get-category-rules-202309'),
    'the page gives 12052223 and 12052226 the same message; the emulator answers 12052226 while an application is ' +
      'under review, which no page says',
  ),
  row('certification_required_missing', 12052105, '*', true, page('partial-edit-product-202509')),
  row('certification_id_unknown', 12052655, '*', true, page('partial-edit-product-202509')),
  row('certification_id_duplicate', 12052656, '*', true, page('partial-edit-product-202509')),
  row('certification_expiry_invalid', 12052385, '*', true, page('partial-edit-product-202509')),
  // ---- after-sales
  row('cancellation_not_found', 25007006, '*', false, page('approve-cancellation-202309'), 'the page says order'),
  row('return_not_found', 25007006, '*', false, page('approve-return-202309'), 'the page says order'),
  row(
    'aftersale_invalid_status',
    25001003,
    [APPROVE_CANCELLATION, REJECT_CANCELLATION, APPROVE_RETURN, REJECT_RETURN],
    true,
    page('approve-cancellation-202309'),
  ),
  row('aftersale_invalid_status', 25001003, '*', false, page('cancel-order-202309'), 'not listed there'),
  row('unknown_reason', 25001014, '*', true, page('reject-cancellation-202309')),
  row('order_already_cancelled', 25001011, '*', true, page('cancel-order-202309')),
  row('reason_status_mismatch', 25001021, '*', true, page('cancel-order-202309')),
  row('return_cannot_approve', 25001044, '*', true, page('approve-return-202309')),
  row('cancellation_already_shipped', 25001045, '*', true, page('approve-cancellation-202309')),
  // A decision of another return type (APPROVE_REFUND on a replacement): both pages list 25020004.
  row('decision_type_mismatch', 25020004, '*', true, page('approve-return-202309')),
  row('return_cancelled', 25020009, [APPROVE_RETURN], true, page('approve-return-202309')),
  row('return_cancelled', 25020009, '*', false, page('approve-return-202309'), 'listed on Approve Return only'),
  // "request has been transferred to platform operator": the buyer escalated and arbitration is in progress.
  row('return_in_arbitration', 25011010, '*', true, page('reject-return-202309')),
  row(
    'reject_image_unknown',
    25001001,
    '*',
    false,
    page('reject-return-202309'),
    'images[].image_id must be an Upload Product Image uri; the page lists 25001001 for an invalid parameter but ' +
      'names no code for an unknown image',
  ),
  // ---- uploads
  row('upload_file_missing', 12038002, [UPLOAD_IMAGE, UPLOAD_FILE], true, page('upload-product-image-202309')),
  row('upload_use_case_invalid', 11050001, '*', true, page('upload-product-image-202309')),
  row('upload_image_format', 12038015, '*', true, page('upload-product-image-202309')),
  row('upload_image_unreadable', 12038004, '*', true, page('upload-product-image-202309')),
  row('upload_image_too_large', 12038005, '*', true, page('upload-product-image-202309')),
  row('upload_image_dimensions', 12038014, '*', true, page('upload-product-image-202309')),
  row('upload_file_empty', 12019103, '*', true, page('upload-product-file-202309')),
  row('upload_file_name_missing', 12019104, '*', true, page('upload-product-file-202309')),
  row(
    'upload_file_name_invalid',
    36009004,
    '*',
    false,
    page('upload-product-file-202309'),
    'the page states the name rules but no code for breaking them',
  ),
  row('upload_file_format', 12019105, '*', true, page('upload-product-file-202309')),
  row('upload_file_too_large', 12038005, '*', true, page('upload-product-file-202309')),
  row(
    'commission_rate_out_of_range',
    16003033,
    [CREATE_OPEN_COLLABORATION],
    true,
    page('create-open-collaboration-202412'),
  ),
  row(
    'commission_rate_out_of_range',
    98001004,
    [CREATE_TARGET, UPDATE_TARGET],
    true,
    page('update-target-collaboration-202508'),
    '"invalid params"; the pages give the range [100, 8000] and no code of its own',
  ),
  row(
    'commission_rate_out_of_range',
    16003033,
    [EDIT_OPEN_SETTINGS],
    false,
    page('edit-open-collaboration-settings-202405'),
    'the page lists no error codes; Create Open Collaboration answers 16003033 for the same range',
  ),
  row('open_collaboration_exists', 16003012, '*', true, page('create-open-collaboration-202412')),
  row(
    'open_collaboration_not_found',
    98001004,
    '*',
    false,
    page('remove-creator-from-open-collaboration-202508'),
    'the page lists no error codes; 98001004 "invalid params" is the family\'s code for a bad parameter',
  ),
  row(
    'target_collaboration_not_found',
    50001700,
    [TARGET_DETAIL],
    true,
    page('query-target-collaboration-detail-202508'),
  ),
  row(
    'target_collaboration_not_found',
    50001700,
    '*',
    false,
    page('query-target-collaboration-detail-202508'),
    'listed on Query Target Collaboration Detail only; Update and Remove list no code for an unknown plan',
  ),
  row('target_collaboration_expired', 50001701, '*', true, page('update-target-collaboration-202508')),
  row('creator_unavailable', 50001702, '*', true, page('create-target-collaboration-202508')),
  row('creator_not_found', 16901008, [CREATOR_PERFORMANCE], true, page('get-marketplace-creator-performance-202508')),
  row('analytics_dates_invalid', 28001022, '*', true, page('get-shop-video-performance-list-202409')),
];

/** An error raised by a handler for a situation; the pipeline answers the code the table gives for the endpoint. */
export function coded(situation: Situation, message: string): ApiError {
  return new ApiError(ErrorCodeTable.defaultCode(situation), message, undefined, situation);
}

export interface EffectiveRow extends ErrorCodeRow {
  /** The code answered now (an override, or `code`). */
  effectiveCode: number;
}

/** The table plus the overrides of this emulator instance. */
export class ErrorCodeTable {
  private readonly overrides = new Map<Situation, number>();

  constructor(overrides: Partial<Record<string, number>> = {}) {
    this.set(overrides);
  }

  static defaultCode(situation: Situation): number {
    const first = ERROR_CODE_TABLE.find((r) => r.situation === situation);
    if (!first) throw new Error(`no error-code row for ${situation}`);
    return first.code;
  }

  /** Overrides codes by situation (every row of the situation); unknown situations are refused. */
  set(overrides: Partial<Record<string, number>>): void {
    for (const [situation, code] of Object.entries(overrides)) {
      if (!(SITUATIONS as readonly string[]).includes(situation))
        throw new Error(`unknown error situation ${situation}`);
      if (code === undefined) continue;
      if (!Number.isInteger(code)) throw new Error(`error code for ${situation} must be an integer`);
      this.overrides.set(situation as Situation, code);
    }
  }

  reset(overrides: Partial<Record<string, number>> = {}): void {
    this.overrides.clear();
    this.set(overrides);
  }

  /** The row for a situation on an endpoint: its own row first, else the '*' row, else the first row. */
  row(situation: Situation, api?: string): ErrorCodeRow {
    const rows = ERROR_CODE_TABLE.filter((r) => r.situation === situation);
    const own = api === undefined ? undefined : rows.find((r) => r.apis !== '*' && r.apis.includes(api));
    const found = own ?? rows.find((r) => r.apis === '*') ?? rows[0];
    if (!found) throw new Error(`no error-code row for ${situation}`);
    return found;
  }

  code(situation: Situation, api?: string): number {
    return this.overrides.get(situation) ?? this.row(situation, api).code;
  }

  list(): EffectiveRow[] {
    return ERROR_CODE_TABLE.map((r) => ({ ...r, effectiveCode: this.overrides.get(r.situation) ?? r.code }));
  }
}
