// One TikTok Shop Open API endpoint as data, and the one generic call that every endpoint goes through. The family
// modules (orders.ts, fulfillment.ts, …) declare their endpoints with `defineEndpoint`; endpoints.ts gathers them
// into the table; callers write `callEndpoint(client, endpoints.getOrderDetail, shop, { ids })`.
// Signing, the access token, the rate budget, the envelope and the failure classes stay in client.ts.
import { z } from 'zod';
import type { QueryValue, TikTokClient } from './client';
import { parseInput, type CallOptions, type ShopRef } from './common';
import type { TikTokErrorMapping } from './errors';
import type { HttpMethod } from './shopCipher';

/** Public documentation page of an API: `https://partner.tiktokshop.com/docv2/page/<api-name>-<version>`. */
export function docsPage(slug: string): string {
  return `https://partner.tiktokshop.com/docv2/page/${slug}`;
}

type AnyObjectSchema = z.ZodObject<z.core.$ZodShape, z.core.$ZodObjectConfig>;

/** The schema of a part an endpoint does not have (no path parameters, no query, no body). */
export const noFields = z.strictObject({});
type NoFields = typeof noFields;

/** Codes this endpoint's page documents, with the failure class each becomes (checked before the common codes). */
export type ErrorMapping = TikTokErrorMapping;

export interface Endpoint<
  P extends AnyObjectSchema = AnyObjectSchema,
  Q extends AnyObjectSchema = AnyObjectSchema,
  B extends AnyObjectSchema = AnyObjectSchema,
  R extends z.ZodType = z.ZodType,
  C extends boolean = boolean,
> {
  /** The API's title in the public documentation. */
  readonly title: string;
  /** Its documentation page (docsPage). */
  readonly docs: string;
  readonly method: HttpMethod;
  /** Path template, `{name}` for each path parameter. */
  readonly path: string;
  /**
   * The rate-budget bucket (rateBudget.ts `apiBucketOf`): method + path template, so every call of one API shares one
   * budget per shop whatever its path parameters. Derived, never written by hand: a changed key would split a budget.
   */
  readonly budgetKey: string;
  /** Whether the request carries `shop_cipher` (shopCipher.ts says which endpoints must not). */
  readonly shopCipher: C;
  /** The caller's input is one flat object; these schemas say which of its fields go where. */
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** True when the endpoint takes a JSON body (even an empty one); false sends none. */
  readonly sendsBody: boolean;
  /**
   * The body is multipart/form-data (uploads.ts): each body field is a form field, a Blob/File field a file part.
   * The client sends it unsigned (https://partner.tiktokshop.com/docv2/page/sign-your-api-request).
   */
  readonly multipart: boolean;
  /** Validates (and may reshape) `data` of a successful envelope. */
  readonly response: R;
  readonly errors: ErrorMapping;
}

export type AnyEndpoint = Endpoint;

export interface EndpointSpec<
  P extends AnyObjectSchema,
  Q extends AnyObjectSchema,
  B extends AnyObjectSchema,
  R extends z.ZodType,
  C extends boolean,
> {
  title: string;
  docs: string;
  method: HttpMethod;
  path: string;
  shopCipher: C;
  params?: P;
  query?: Q;
  body?: B;
  /** See Endpoint.multipart. */
  multipart?: boolean;
  response: R;
  errors?: ErrorMapping;
}

export function defineEndpoint<
  R extends z.ZodType,
  C extends boolean,
  P extends AnyObjectSchema = NoFields,
  Q extends AnyObjectSchema = NoFields,
  B extends AnyObjectSchema = NoFields,
>(spec: EndpointSpec<P, Q, B, R, C>): Endpoint<P, Q, B, R, C> {
  return Object.freeze({
    title: spec.title,
    docs: spec.docs,
    method: spec.method,
    path: spec.path,
    budgetKey: `${spec.method} ${spec.path}`,
    shopCipher: spec.shopCipher,
    params: spec.params ?? (noFields as AnyObjectSchema as P),
    query: spec.query ?? (noFields as AnyObjectSchema as Q),
    body: spec.body ?? (noFields as AnyObjectSchema as B),
    sendsBody: spec.body !== undefined,
    multipart: spec.multipart === true,
    response: spec.response,
    errors: Object.freeze({ ...spec.errors }),
  });
}

/** The input of one part; a part without fields adds nothing (zod types an empty strict object as `Record<string, never>`). */
type PartInput<S extends AnyObjectSchema> = keyof S['shape'] extends never ? unknown : z.input<S>;

/** What the caller passes: path parameters, query and body fields in one object. */
export type EndpointInput<E extends AnyEndpoint> = PartInput<E['params']> &
  PartInput<E['query']> &
  PartInput<E['body']>;
export type EndpointOutput<E extends AnyEndpoint> = z.output<E['response']>;

/**
 * Who calls: a shop (id for the token and the budget, cipher where the endpoint is shop-scoped), or, for an endpoint
 * without shop_cipher, a raw access token before any shop is known (Get Authorized Shops right after the code exchange).
 */
export type EndpointCaller<E extends AnyEndpoint> = E['shopCipher'] extends true
  ? ShopRef
  : ShopRef | { shopId: string } | { accessToken: string };

type InputArgs<E extends AnyEndpoint> =
  Record<string, never> extends EndpointInput<E>
    ? [input?: EndpointInput<E>, opts?: CallOptions]
    : [input: EndpointInput<E>, opts?: CallOptions];

/** Calls one endpoint: validates the input against its schemas, sends it through the client, parses the response. */
export async function callEndpoint<E extends AnyEndpoint>(
  client: TikTokClient,
  endpoint: E,
  caller: EndpointCaller<E>,
  ...[input, opts = {}]: InputArgs<E>
): Promise<EndpointOutput<E>> {
  const e: AnyEndpoint = endpoint;
  const { method, path } = e;
  const parts = splitInput(e, input ?? {});
  const params = parseInput(e.params, parts.params, method, path) as Record<string, string>;
  const query = parseInput(e.query, parts.query, method, path) as Record<string, QueryValue>;
  const body = parseInput(e.body, parts.body, method, path);
  return client.request<E['response']>({
    method,
    path,
    pathParams: params,
    query,
    ...(e.multipart ? { form: toFormData(body) } : { body: e.sendsBody ? body : undefined }),
    ...('accessToken' in caller
      ? { accessToken: caller.accessToken }
      : {
          shopId: caller.shopId,
          ...(e.shopCipher && 'shopCipher' in caller ? { shopCipher: caller.shopCipher } : {}),
        }),
    deadline: opts.deadline,
    background: opts.background,
    beforeSend: opts.beforeSend,
    tokenReserved: opts.tokenReserved,
    errors: e.errors,
    schema: endpoint.response,
  });
}

/** A multipart body from the parsed body fields: files as file parts (a File keeps its name), the rest as text. */
function toFormData(fields: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (value instanceof Blob) form.append(name, value);
    else form.append(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return form;
}

/**
 * Hands each input field to the part whose schema names it. A field no part names goes to the body (or, without a
 * body, to the query, then the path parameters), whose strict schema then refuses it with zod's own message.
 */
function splitInput(
  endpoint: AnyEndpoint,
  input: Record<string, unknown>,
): Record<'params' | 'query' | 'body', Record<string, unknown>> {
  const parts: Record<'params' | 'query' | 'body', Record<string, unknown>> = { params: {}, query: {}, body: {} };
  const leftover = endpoint.sendsBody ? 'body' : endpoint.query !== noFields ? 'query' : 'params';
  for (const [key, value] of Object.entries(input)) {
    if (Object.hasOwn(endpoint.params.shape, key)) parts.params[key] = value;
    else if (Object.hasOwn(endpoint.query.shape, key)) parts.query[key] = value;
    else if (Object.hasOwn(endpoint.body.shape, key)) parts.body[key] = value;
    else parts[leftover][key] = value;
  }
  return parts;
}

/** The path parameter names of a template, in order (`/a/{x}/b/{y}` → x, y). */
export function pathParamNames(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}
