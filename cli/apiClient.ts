import { ApiError, ConnectionError } from './errors';

export interface OpsApiTarget {
  /** e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  apiKey: string;
}

/** The HTTP API as the CLI uses it: JSON in and out, `Authorization: Bearer`, errors as ApiError. */
export function createOpsApiClient(target: OpsApiTarget, doFetch: typeof fetch = fetch) {
  const base = target.baseUrl.replace(/\/+$/, '');
  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    form?: FormData,
    rawText?: string,
    binary = false,
  ) {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${target.apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        // A form sets its own multipart Content-Type (with the boundary).
        body: form ?? rawText ?? (body === undefined ? undefined : JSON.stringify(body)),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      const inner = (err as { cause?: { code?: string; message?: string } }).cause;
      const cause = inner?.code ?? inner?.message ?? (err as Error).message;
      throw new ConnectionError(`cannot reach the API at ${base} (${cause})`);
    }
    // A download (a report's PDF) is bytes; an error is still the API's JSON envelope.
    if (binary && res.ok) return Buffer.from(await res.arrayBuffer()) as T;
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiError(
        res.status,
        error?.code ?? 'http_error',
        error?.message ?? (text.slice(0, 200) || res.statusText),
      );
    }
    return json as T;
  }
  return {
    get: <T>(path: string) => request<T>('GET', path),
    post: <T>(path: string, body: unknown) => request<T>('POST', path, body),
    patch: <T>(path: string, body: unknown, headers?: Record<string, string>) =>
      request<T>('PATCH', path, body, headers),
    put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
    delete: <T>(path: string) => request<T>('DELETE', path),
    /** A multipart/form-data POST (file uploads). */
    postForm: <T>(path: string, form: FormData) => request<T>('POST', path, undefined, {}, form),
    /** A POST of a text document (CSV) with its content type. */
    postText: <T>(path: string, text: string, contentType: string) =>
      request<T>('POST', path, undefined, { 'content-type': contentType }, undefined, text),
    /** A GET whose answer is a file: its bytes. */
    getBytes: (path: string) => request<Buffer>('GET', path, undefined, { accept: '*/*' }, undefined, undefined, true),
  };
}

export type OpsApiClient = ReturnType<typeof createOpsApiClient>;
