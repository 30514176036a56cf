import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import pinoHttp, { type HttpLogger } from 'pino-http';
import { SECRET_QUERY_PARAMS, scrubUrl } from '../logging/logger';

interface SerializedRequest {
  url?: string;
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Request logging for the API. pino-http logs the URL, the parsed query and the headers of every request: the OAuth
 * callback's URL carries the code and state, and so does the Referer of whatever the browser asks for next.
 */
export function httpLogger(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/healthz' },
    serializers: {
      req: (req: SerializedRequest) => {
        const query = req.query && { ...req.query };
        for (const name of SECRET_QUERY_PARAMS) if (query && name in query) query[name] = '[redacted]';
        const referer = req.headers?.referer;
        return {
          ...req,
          url: typeof req.url === 'string' ? scrubUrl(req.url) : req.url,
          ...(query ? { query } : {}),
          ...(typeof referer === 'string' ? { headers: { ...req.headers, referer: scrubUrl(referer) } } : {}),
        };
      },
    },
  });
}
