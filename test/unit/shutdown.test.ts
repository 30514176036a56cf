// Graceful shutdown (issue 13 item 8): the API drains in-flight requests before closing its clients; the worker gives
// running activities a grace time.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { drainAndClose } from '../../api/shutdown';
import { workerTuning } from '../../workers/createWorker';
import { testConfig } from '../helpers/temporal';

const quiet = { info: () => undefined, warn: () => undefined };

/** A server whose one route waits for `release`, then reads from a client that fails once closed. */
function slowServer() {
  const client = {
    closed: false,
    events: [] as string[],
    read: () => (client.closed ? Promise.reject(new Error('client closed')) : Promise.resolve('row')),
  };
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const inFlight = new Promise<void>((resolve) => (started = resolve));
  const server = http.createServer((_req, res) => {
    started();
    void released
      .then(() => client.read())
      .then(
        (value) => {
          res.on('finish', () => client.events.push('response sent'));
          res.end(JSON.stringify({ value }));
        },
        (err: Error) => {
          res.statusCode = 500;
          res.end(err.message);
        },
      );
  });
  return { server, client, release, inFlight };
}

const listen = async (server: http.Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

test('a request in flight when the API stops completes; the clients close only after it', async () => {
  const { server, client, release, inFlight } = slowServer();
  const url = await listen(server);
  const response = fetch(`${url}/slow`);
  await inFlight;
  const answered = response.then(async (res) => ({ status: res.status, body: await res.text() }));
  const stopped = drainAndClose({
    servers: [server],
    graceMs: 10_000,
    logger: quiet,
    closeClients: () => {
      client.closed = true;
      client.events.push('clients closed');
      return Promise.resolve();
    },
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(client.closed, false, 'clients stay open while a request is in flight');
  await assert.rejects(fetch(`${url}/late`), 'no new connections once stopping');
  release();
  const res = await answered;
  await stopped;
  assert.equal(res.status, 200);
  assert.equal(res.body, '{"value":"row"}');
  assert.deepEqual(client.events, ['response sent', 'clients closed']);
});

test('a request still running after the grace time is cut, and the clients close', async () => {
  const { server, client, inFlight } = slowServer();
  const url = await listen(server);
  const response = fetch(`${url}/stuck`).then(
    () => 'answered',
    () => 'cut',
  );
  await inFlight;
  const started = Date.now();
  await drainAndClose({
    servers: [server],
    graceMs: 300,
    logger: quiet,
    closeClients: () => Promise.resolve(void (client.closed = true)),
  });
  assert.ok(Date.now() - started >= 250);
  assert.equal(await response, 'cut');
  assert.equal(client.closed, true);
});

test('running activities get SHUTDOWN_GRACE_SECONDS on shutdown (default 30 s; the SDK default is 0)', () => {
  assert.equal(workerTuning(testConfig()).shutdownGraceTime, 30_000);
  assert.equal(workerTuning(testConfig({ SHUTDOWN_GRACE_SECONDS: '5' })).shutdownGraceTime, 5_000);
});
