import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callEndpoint, endpoints } from '../../../integrations/tiktok/endpoints';
import { TikTokInvalidRequest, TikTokResponseInvalid } from '../../../integrations/tiktok/errors';
import { SHOP, okClient, type TestClient } from './fakeTikTok';

function sent(tc: TestClient) {
  const req = tc.requests[0]!;
  const query = Object.fromEntries(req.url.searchParams);
  delete query.app_key;
  delete query.timestamp;
  delete query.sign;
  return {
    method: req.method,
    path: req.url.pathname,
    query,
    body: req.body === undefined ? undefined : (JSON.parse(req.body) as unknown),
  };
}

// Shaped after the DOC example of Get Order Detail (§5.2): string ids, string money.
const ORDER = {
  id: '576461413038785752',
  status: 'AWAITING_SHIPMENT',
  user_id: '7021436810468230477',
  create_time: 1619611561,
  update_time: 1619621355,
  paid_time: 1619611563,
  rts_sla_time: 1619621355,
  fulfillment_type: 'FULFILLMENT_BY_SELLER',
  shipping_type: 'SELLER',
  is_on_hold_order: false,
  warehouse_id: '6955005333819123458',
  payment: {
    currency: 'USD',
    sub_total: '5000',
    shipping_fee: '5000',
    seller_discount: '5000',
    platform_discount: '5000',
    total_amount: '5000',
    original_total_product_price: '5000',
    tax: '5000',
  },
  recipient_address: { full_address: 'Indonesia', phone_number: '(+1)213-***-1234', name: 'David Kong' },
  line_items: [
    {
      id: '577086512123755123',
      sku_id: '2729382476852921560',
      product_id: '1729582718312380123',
      product_name: "Women's Winter Crochet Clothes",
      sale_price: '0.01',
      original_price: '0.01',
      currency: 'IDR',
      display_status: 'TO_SHIP',
      package_status: 'TO_FULFILL',
      future_field: { anything: true },
    },
  ],
  packages: [{ id: '1152321127278713123' }],
  an_unknown_top_level_field: 1,
};

void test('searchOrders: page params in the query, filters in the body, orders parsed', async () => {
  const tc = okClient({ next_page_token: 'b2Zmc2V0PTA=', total_count: 1, orders: [ORDER] });
  const res = await callEndpoint(tc.client, endpoints.searchOrders, SHOP, {
    page_size: 50,
    page_token: 'b2Zmc2V0PTA=',
    sort_field: 'update_time',
    sort_order: 'ASC',
    update_time_ge: 1619611000,
    update_time_lt: 1619612000,
    order_status: 'AWAITING_SHIPMENT',
  });
  assert.deepEqual(sent(tc), {
    method: 'POST',
    path: '/order/202309/orders/search',
    query: {
      page_size: '50',
      page_token: 'b2Zmc2V0PTA=',
      sort_field: 'update_time',
      sort_order: 'ASC',
      shop_cipher: SHOP.shopCipher,
    },
    body: { update_time_ge: 1619611000, update_time_lt: 1619612000, order_status: 'AWAITING_SHIPMENT' },
  });
  assert.equal(res.next_page_token, 'b2Zmc2V0PTA=');
  assert.equal(res.orders[0]!.payment?.total_amount, '5000');
  assert.equal(res.orders[0]!.line_items[0]!.sale_price, '0.01');
  // Unknown fields survive (loose objects).
  assert.equal((res.orders[0] as Record<string, unknown>).an_unknown_top_level_field, 1);
});

void test('searchOrders: defaults page_size to 20 and sends {} when no filter', async () => {
  const tc = okClient({ orders: [] });
  const res = await callEndpoint(tc.client, endpoints.searchOrders, SHOP, {});
  assert.equal(sent(tc).query.page_size, '20');
  assert.deepEqual(sent(tc).body, {});
  assert.deepEqual(res.orders, []);
});

void test('searchOrders: invalid input is rejected before sending', async () => {
  const tc = okClient({ orders: [] });
  await assert.rejects(callEndpoint(tc.client, endpoints.searchOrders, SHOP, { page_size: 101 }), TikTokInvalidRequest);
  await assert.rejects(
    callEndpoint(tc.client, endpoints.searchOrders, SHOP, { order_status: 'CANCEL' as never }),
    TikTokInvalidRequest,
  );
  assert.equal(tc.requests.length, 0);
});

void test('getOrderDetail: comma-joined ids, max 50', async () => {
  const tc = okClient({ orders: [ORDER] });
  const list = await callEndpoint(tc.client, endpoints.getOrderDetail, SHOP, {
    ids: ['576461413038785752', '576461413038785753'],
  });
  assert.deepEqual(sent(tc).query, { ids: '576461413038785752,576461413038785753', shop_cipher: SHOP.shopCipher });
  assert.equal(sent(tc).method, 'GET');
  assert.equal(sent(tc).path, '/order/202309/orders');
  assert.equal(list[0]!.status, 'AWAITING_SHIPMENT');
  const ids = Array.from({ length: 51 }, (_, i) => String(i + 1));
  await assert.rejects(
    callEndpoint(okClient({}).client, endpoints.getOrderDetail, SHOP, { ids }),
    TikTokInvalidRequest,
  );
});

void test('getOrderDetail: an order with a numeric id is a contract violation', async () => {
  const tc = okClient({ orders: [{ ...ORDER, id: 576461413038785 }] });
  await assert.rejects(callEndpoint(tc.client, endpoints.getOrderDetail, SHOP, { ids: ['1'] }), TikTokResponseInvalid);
});

void test('external order references: add (batch errors) and get', async () => {
  const tc = okClient({ errors: [{ code: 16050001, message: 'x', detail: { order_id: '1' } }] });
  const res = await callEndpoint(tc.client, endpoints.addExternalOrderReferences, SHOP, {
    orders: [{ id: '1', external_order: { id: 'OMS-1', platform: 'ORDER_MANAGEMENT_SYSTEM' } }],
  });
  assert.equal(sent(tc).path, '/order/202406/orders/external_orders');
  assert.equal(res.errors[0]!.code, 16050001);
  const empty = await callEndpoint(okClient(null).client, endpoints.addExternalOrderReferences, SHOP, {
    orders: [{ id: '1', external_order: { id: 'OMS-1', platform: 'ERP_SYSTEM' } }],
  });
  assert.deepEqual(empty.errors, []);

  const tc2 = okClient({ external_orders: [{ id: 'OMS-1', platform: 'ORDER_MANAGEMENT_SYSTEM' }] });
  const got = await callEndpoint(tc2.client, endpoints.getExternalOrderReferences, SHOP, {
    order_id: '576',
    platform: 'ORDER_MANAGEMENT_SYSTEM',
  });
  assert.equal(sent(tc2).path, '/order/202406/orders/576/external_orders');
  assert.equal(sent(tc2).query.platform, 'ORDER_MANAGEMENT_SYSTEM');
  assert.equal(got.external_orders[0]!.id, 'OMS-1');
});

void test('fulfillment: mark package as shipped', async () => {
  const tc = okClient({
    order_id: '576',
    order_line_item_ids: ['577'],
    package_id: '1152',
    warning: { message: 'late' },
  });
  const res = await callEndpoint(tc.client, endpoints.markPackageAsShipped, SHOP, {
    order_id: '576',
    tracking_number: '9400111899223',
    shipping_provider_id: '7117858858072016686',
    order_line_item_ids: ['577'],
  });
  assert.deepEqual(sent(tc), {
    method: 'POST',
    path: '/fulfillment/202309/orders/576/packages',
    query: { shop_cipher: SHOP.shopCipher },
    body: {
      tracking_number: '9400111899223',
      shipping_provider_id: '7117858858072016686',
      order_line_item_ids: ['577'],
    },
  });
  assert.equal(res.package_id, '1152');
});

void test('fulfillment: create packages, ship package, update shipping info', async () => {
  const tc = okClient({ package_id: '1153', shipping_service_info: { id: 's' } });
  const created = await callEndpoint(tc.client, endpoints.createPackages, SHOP, {
    order_id: '576',
    weight: { value: '500', unit: 'GRAM' },
    shipping_service_id: 's',
  });
  assert.equal(created.package_id, '1153');
  assert.equal(sent(tc).path, '/fulfillment/202309/packages');

  const tc2 = okClient({});
  await callEndpoint(tc2.client, endpoints.shipPackage, SHOP, {
    package_id: '1153',
    handover_method: 'DROP_OFF',
    self_shipment: { tracking_number: 'T', shipping_provider_id: 'P' },
  });
  assert.equal(sent(tc2).path, '/fulfillment/202309/packages/1153/ship');
  assert.deepEqual(sent(tc2).body, {
    handover_method: 'DROP_OFF',
    self_shipment: { tracking_number: 'T', shipping_provider_id: 'P' },
  });

  const tc3 = okClient(null);
  await callEndpoint(tc3.client, endpoints.updatePackageShippingInfo, SHOP, {
    package_id: '1153',
    tracking_number: 'T2',
    shipping_provider_id: 'P',
  });
  assert.equal(sent(tc3).path, '/fulfillment/202309/packages/1153/shipping_info/update');

  const tc4 = okClient({});
  await callEndpoint(tc4.client, endpoints.updateShippingInfo, SHOP, {
    order_id: '576',
    tracking_number: 'T',
    shipping_provider_id: 'P',
  });
  assert.equal(sent(tc4).path, '/fulfillment/202309/orders/576/shipping_info/update');
});

void test('fulfillment: package detail, shipping document, tracking', async () => {
  const tc = okClient({
    package_id: '1153',
    orders: [{ id: '576', skus: [{ id: '1', quantity: 1 }] }],
    package_status: 'PROCESSING',
    tracking_number: 'T',
    pickup_slot: { start_time: 1623812664, end_time: 1623812665 },
  });
  const detail = await callEndpoint(tc.client, endpoints.getPackageDetail, SHOP, { package_id: '1153' });
  assert.equal(detail.package_status, 'PROCESSING');
  assert.equal(sent(tc).path, '/fulfillment/202309/packages/1153');

  const tc2 = okClient({ doc_url: 'https://example.test/label.pdf', tracking_number: 'T' });
  const doc = await callEndpoint(tc2.client, endpoints.getPackageShippingDocument, SHOP, {
    package_id: '1153',
    document_type: 'SHIPPING_LABEL',
  });
  assert.equal(doc.doc_url, 'https://example.test/label.pdf');
  assert.deepEqual(sent(tc2).query, { document_type: 'SHIPPING_LABEL', shop_cipher: SHOP.shopCipher });
  assert.equal(sent(tc2).path, '/fulfillment/202309/packages/1153/shipping_documents');

  const tc3 = okClient({ tracking: [{ description: 'Delivered', update_time_millis: 1623812664000 }] });
  const tracking = await callEndpoint(tc3.client, endpoints.getTracking, SHOP, { order_id: '576' });
  assert.equal(tracking[0]!.update_time_millis, 1623812664000);
  assert.equal(sent(tc3).path, '/fulfillment/202309/orders/576/tracking');
});

void test('logistics: warehouses → delivery options → shipping providers', async () => {
  const tc = okClient({
    warehouses: [
      {
        id: '6955005333819123458',
        name: 'Main',
        effect_status: 'ENABLED',
        type: 'SALES_WAREHOUSE',
        is_default: true,
        address: { region: 'US', distict: 'x', postal_code: '90001' },
      },
    ],
  });
  const warehouses = await callEndpoint(tc.client, endpoints.getWarehouses, SHOP);
  assert.equal(warehouses[0]!.id, '6955005333819123458');
  assert.equal(sent(tc).path, '/logistics/202309/warehouses');

  const tc2 = okClient({ delivery_options: [{ id: '7091146663229654785', name: 'Seller', type: 'SEND_BY_SELLER' }] });
  const options = await callEndpoint(tc2.client, endpoints.getWarehouseDeliveryOptions, SHOP, { warehouse_id: '695' });
  assert.equal(options[0]!.type, 'SEND_BY_SELLER');
  assert.equal(sent(tc2).path, '/logistics/202309/warehouses/695/delivery_options');

  const tc3 = okClient({ shipping_providers: [{ id: '7117858858072016686', name: 'USPS' }] });
  const providers = await callEndpoint(tc3.client, endpoints.getShippingProviders, SHOP, { delivery_option_id: '709' });
  assert.deepEqual(providers, [{ id: '7117858858072016686', name: 'USPS' }]);
  assert.equal(sent(tc3).path, '/logistics/202309/delivery_options/709/shipping_providers');
});

void test('products: search, get, update inventory, inventory search, activate, deactivate', async () => {
  const tc = okClient({
    total_count: 1,
    next_page_token: 'n',
    products: [
      {
        id: '1729592969712207008',
        title: 'Shoe',
        status: 'ACTIVATE',
        skus: [
          {
            id: '1729592969712207012',
            seller_sku: 'SHOE-1',
            price: { sale_price: '12.50', currency: 'USD', tax_exclusive_price: '12.50' },
            inventory: [{ warehouse_id: '695', quantity: 7 }],
          },
        ],
      },
    ],
  });
  const found = await callEndpoint(tc.client, endpoints.searchProducts, SHOP, {
    page_size: 10,
    status: 'ACTIVATE',
    update_time_ge: 1,
  });
  assert.equal(found.products[0]!.skus[0]!.price?.sale_price, '12.50');
  assert.deepEqual(sent(tc).query, { page_size: '10', shop_cipher: SHOP.shopCipher });
  assert.deepEqual(sent(tc).body, { status: 'ACTIVATE', update_time_ge: 1 });

  const tc2 = okClient({ id: '1729', status: 'ACTIVATE', title: 't', skus: [], audit: { status: 'APPROVED' } });
  const product = await callEndpoint(tc2.client, endpoints.getProduct, SHOP, { product_id: '1729' });
  assert.equal(product.audit?.status, 'APPROVED');
  assert.equal(sent(tc2).path, '/product/202309/products/1729');

  const tc3 = okClient({
    errors: [
      {
        code: 12052048,
        message: 'warehouse missing',
        detail: { sku_id: '1', extra_errors: [{ warehouse_id: '695', code: 1, message: 'x' }] },
      },
    ],
  });
  const upd = await callEndpoint(tc3.client, endpoints.updateInventory, SHOP, {
    product_id: '1729',
    skus: [{ id: '1', inventory: [{ warehouse_id: '695', quantity: 0 }] }],
  });
  assert.equal(upd.errors[0]!.code, 12052048);
  assert.deepEqual(sent(tc3), {
    method: 'POST',
    path: '/product/202309/products/1729/inventory/update',
    query: { shop_cipher: SHOP.shopCipher },
    body: { skus: [{ id: '1', inventory: [{ warehouse_id: '695', quantity: 0 }] }] },
  });
  await assert.rejects(
    callEndpoint(okClient({}).client, endpoints.updateInventory, SHOP, {
      product_id: '1',
      skus: [{ id: '1', inventory: [{ quantity: 100_000 }] }],
    }),
    TikTokInvalidRequest,
  );

  const tc4 = okClient({
    inventory: [
      {
        product_id: '1729',
        skus: [
          {
            id: '1',
            total_available_quantity: 5,
            warehouse_inventory: [{ warehouse_id: '695', available_quantity: 5, committed_quantity: 1 }],
          },
        ],
      },
    ],
  });
  const inv = await callEndpoint(tc4.client, endpoints.inventorySearch, SHOP, { sku_ids: ['1'] });
  assert.equal(inv[0]!.skus[0]!.warehouse_inventory[0]!.available_quantity, 5);
  await assert.rejects(callEndpoint(okClient({}).client, endpoints.inventorySearch, SHOP, {}), TikTokInvalidRequest);

  const tc5 = okClient({});
  const act = await callEndpoint(tc5.client, endpoints.activateProducts, SHOP, { product_ids: ['1729'] });
  assert.deepEqual(act.errors, []);
  assert.equal(sent(tc5).path, '/product/202309/products/activate');
  const tc6 = okClient({ errors: [{ code: 1, message: 'm', detail: { product_id: '1729' } }] });
  const deact = await callEndpoint(tc6.client, endpoints.deactivateProducts, SHOP, { product_ids: ['1729'] });
  assert.equal(deact.errors.length, 1);
  assert.equal(sent(tc6).path, '/product/202309/products/deactivate');
  await assert.rejects(
    callEndpoint(okClient({}).client, endpoints.activateProducts, SHOP, {
      product_ids: Array.from({ length: 21 }, String),
    }),
    TikTokInvalidRequest,
  );
});

void test('returns: search returns and cancellations with status normalisation', async () => {
  const tc = okClient({
    next_page_token: 'x',
    total_count: 1,
    return_orders: [
      {
        return_id: '4035229445306962470',
        order_id: '576',
        return_type: 'REFUND',
        return_status: 'RETURN_OR_REFUND_REQUEST_PENDING',
        refund_amount: { currency: 'USD', refund_total: '10.00' },
        seller_next_action_response: [{ action: 'SELLER_RESPOND_REFUND', deadline: 1700000000 }],
      },
    ],
  });
  const found = await callEndpoint(tc.client, endpoints.searchReturns, SHOP, {
    update_time_ge: 1,
    return_status: ['AWAITING_BUYER_SHIP'],
  });
  assert.equal(found.return_orders[0]!.refund_amount?.refund_total, '10.00');
  assert.deepEqual(sent(tc).query, { page_size: '10', shop_cipher: SHOP.shopCipher });
  assert.equal(sent(tc).path, '/return_refund/202309/returns/search');

  const tc2 = okClient({
    cancellations: [
      {
        cancel_id: '4035',
        order_id: '576',
        cancel_type: 'BUYER_CANCEL',
        cancel_status: 'CANCELLATION_REQUEST_CANCEL',
        refund_amount: { currency: 'USD', refund_total: '5.00' },
      },
    ],
  });
  const cancels = await callEndpoint(tc2.client, endpoints.searchCancellations, SHOP, {
    cancel_status: ['CANCELLATION_REQUEST_CANCELLED', 'CANCELLATION_REQUEST_PENDING'],
  });
  assert.equal(cancels.cancellations[0]!.cancel_status, 'CANCELLATION_REQUEST_CANCELLED');
  assert.deepEqual(sent(tc2).body, { cancel_status: ['CANCELLATION_REQUEST_CANCEL', 'CANCELLATION_REQUEST_PENDING'] });
});

void test('returns: approve/reject cancellation and return, reject reasons', async () => {
  const tc = okClient({});
  await callEndpoint(tc.client, endpoints.approveCancellation, SHOP, { cancel_id: '4035', idempotency_key: 'k-1' });
  assert.deepEqual(sent(tc), {
    method: 'POST',
    path: '/return_refund/202309/cancellations/4035/approve',
    query: { idempotency_key: 'k-1', shop_cipher: SHOP.shopCipher },
    body: undefined,
  });

  const tc2 = okClient({});
  await callEndpoint(tc2.client, endpoints.rejectCancellation, SHOP, {
    cancel_id: '4035',
    reject_reason: 'seller_reject_apply_product_has_been_packed',
  });
  assert.deepEqual(sent(tc2).body, { reject_reason: 'seller_reject_apply_product_has_been_packed' });

  const tc3 = okClient({});
  await callEndpoint(tc3.client, endpoints.approveReturn, SHOP, {
    return_id: '4036',
    decision: 'OFFER_PARTIAL_REFUND',
    partial_refund: { currency: 'USD', amount: '3.00' },
  });
  assert.equal(sent(tc3).path, '/return_refund/202309/returns/4036/approve');
  await assert.rejects(
    callEndpoint(okClient({}).client, endpoints.approveReturn, SHOP, {
      return_id: '4036',
      decision: 'OFFER_PARTIAL_REFUND',
    }),
    TikTokInvalidRequest,
  );

  const tc4 = okClient({});
  await callEndpoint(tc4.client, endpoints.rejectReturn, SHOP, {
    return_id: '4036',
    decision: 'REJECT_REFUND',
    reject_reason: 'r',
    images: [{ image_id: 'tos-maliva-i-o3syd03w52-us/abc' }],
  });
  assert.equal(sent(tc4).path, '/return_refund/202309/returns/4036/reject');

  const tc5 = okClient({ reasons: [{ name: 'seller_reject_apply_product_has_been_packed', text: 'Packed' }] });
  const reasons = await callEndpoint(tc5.client, endpoints.getRejectReasons, SHOP, {
    return_or_cancel_id: '4035',
    locale: 'en-US',
  });
  assert.equal(reasons[0]!.text, 'Packed');
  assert.deepEqual(sent(tc5).query, {
    return_or_cancel_id: '4035',
    locale: 'en-US',
    shop_cipher: SHOP.shopCipher,
  });
});

void test('events: get, update (PUT with address) and delete (DELETE with body) shop webhooks', async () => {
  const tc = okClient({
    webhooks: [{ event_type: 'ORDER_STATUS_CHANGE', address: 'https://hooks.example.com/tts', create_time: 1 }],
    total_count: 1,
  });
  const list = await callEndpoint(tc.client, endpoints.getShopWebhooks, SHOP);
  assert.equal(list[0]!.event_type, 'ORDER_STATUS_CHANGE');
  assert.equal(sent(tc).method, 'GET');

  const tc2 = okClient({});
  await callEndpoint(tc2.client, endpoints.updateShopWebhook, SHOP, {
    address: 'https://hooks.example.com/tts',
    event_type: 'PACKAGE_UPDATE',
  });
  assert.deepEqual(sent(tc2), {
    method: 'PUT',
    path: '/event/202309/webhooks',
    query: { shop_cipher: SHOP.shopCipher },
    body: { address: 'https://hooks.example.com/tts', event_type: 'PACKAGE_UPDATE' },
  });
  await assert.rejects(
    callEndpoint(okClient({}).client, endpoints.updateShopWebhook, SHOP, {
      address: 'not a url',
      event_type: 'PACKAGE_UPDATE',
    }),
    TikTokInvalidRequest,
  );

  const tc3 = okClient(null);
  await callEndpoint(tc3.client, endpoints.deleteShopWebhook, SHOP, { event_type: 'PACKAGE_UPDATE' });
  assert.equal(sent(tc3).method, 'DELETE');
  assert.deepEqual(sent(tc3).body, { event_type: 'PACKAGE_UPDATE' });
});
