// TikTok Shop Open API client: public surface (see the individual modules).
export * from './signing';
export * from './errors';
export * from './shopCipher';
export * from './client';
export * from './auth';
export * from './common';
export * from './enums';
export * from './endpoint';
export { endpoints, type EndpointName } from './endpoints';
export * as authorization from './authorization';
export * as orders from './orders';
export * as fulfillment from './fulfillment';
export * as logistics from './logistics';
export * as products from './products';
export * as returns from './returns';
export * as events from './events';
export * as uploads from './uploads';
export * from './webhooks';
