// The endpoint table: every TikTok Shop Open API endpoint the product calls, each declared once in its family module
// (method, path template, schemas of path parameters, query, body and response, error codes, shop_cipher), called
// through `callEndpoint(client, endpoints.<name>, shop, input, opts)`. test/unit/tiktok/endpoints.test.ts checks the
// table against the rate budget's keys and the shop_cipher rules.
import { affiliateEndpoints } from './affiliate';
import { authorizationEndpoints } from './authorization';
import { categoryEndpoints } from './categories';
import { eventEndpoints } from './events';
import { fbtEndpoints } from './fbt';
import { financeEndpoints } from './finance';
import { fulfillmentEndpoints } from './fulfillment';
import { logisticsEndpoints } from './logistics';
import { orderEndpoints } from './orders';
import { productEndpoints } from './products';
import { returnEndpoints } from './returns';
import { uploadEndpoints } from './uploads';

export const endpoints = {
  ...authorizationEndpoints,
  ...orderEndpoints,
  ...fulfillmentEndpoints,
  ...logisticsEndpoints,
  ...productEndpoints,
  ...categoryEndpoints,
  ...returnEndpoints,
  ...eventEndpoints,
  ...uploadEndpoints,
  ...affiliateEndpoints,
  ...financeEndpoints,
  ...fbtEndpoints,
};
export type EndpointName = keyof typeof endpoints;

export { callEndpoint, type EndpointInput, type EndpointOutput } from './endpoint';
