// The operator CLI (cli/main.ts) run in-process against a fake API: every request it makes is recorded and answered
// with one canned body, so a CLI test asserts the requests and the output without a server.
import { runCli } from '../../cli/main';

export interface SentRequest {
  method: string;
  url: string;
  body?: unknown;
}

/**
 * Runs `args`; each request is answered `status` with `answer` (bytes as they are, anything else as JSON, no body for
 * 204). `now` fixes the CLI's clock (relative times it prints). Returns the exit code, what was printed and the
 * requests sent.
 */
export async function cliAgainstFakeApi(
  args: string[],
  answer: unknown,
  status = 200,
  opts: { now?: () => number } = {},
): Promise<{ code: number; stdout: string; stderr: string; sent: SentRequest[] }> {
  const sent: SentRequest[] = [];
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    target: () => ({ baseUrl: 'http://api.test:3000/', apiKey: 'tso_test' }),
    fetch: (url, init) => {
      sent.push({
        method: init?.method ?? 'GET',
        url: url instanceof Request ? url.url : url.toString(),
        body: init?.body ? JSON.parse(init.body as string) : undefined,
      });
      const body = status === 204 ? null : Buffer.isBuffer(answer) ? new Uint8Array(answer) : JSON.stringify(answer);
      return Promise.resolve(new Response(body, { status }));
    },
    ...(opts.now ? { now: opts.now } : {}),
  });
  return { code, stdout, stderr, sent };
}
