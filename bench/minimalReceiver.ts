/**
 * The latency ceiling for the webhook benchmark: verify the signature, insert one row, answer 200. No framework,
 * no parsing, no de-duplication. Env: PORT, DATABASE_URL, TIKTOK_APP_KEY, TIKTOK_APP_SECRET.
 */
import http from 'node:http';
import { Pool } from 'pg';
import { verifyWebhookSignature } from '../integrations/tiktok/signing';
import { onRequestBody } from './lib';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const appKey = process.env.TIKTOK_APP_KEY!;
const appSecret = process.env.TIKTOK_APP_SECRET!;

async function main(): Promise<void> {
  await pool.query('create table if not exists bench_minimal_inbox (id bigserial primary key, body text not null)');
  const server = http.createServer((req, res) => {
    onRequestBody(req, (body) => {
      if (!verifyWebhookSignature({ appKey, appSecret, rawBody: body, authorization: req.headers.authorization })) {
        res.writeHead(401).end();
        return;
      }
      pool
        .query('insert into bench_minimal_inbox (body) values ($1)', [body.toString('utf8')])
        .then(() => res.writeHead(200).end('{"code":0}'))
        .catch(() => res.writeHead(500).end());
    });
  });
  server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('minimal receiver ready'));
}

void main();
