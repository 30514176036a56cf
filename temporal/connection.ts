import fs from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { AppConfig } from '../config';
import { loadOrCreateKeyring } from '../secrets/keyring';
import { EncryptionCodec } from './payloadCodec';

export type TemporalTarget = Pick<
  AppConfig,
  | 'TEMPORAL_ADDRESS'
  | 'TEMPORAL_NAMESPACE'
  | 'TEMPORAL_API_KEY'
  | 'TEMPORAL_TLS'
  | 'TEMPORAL_TLS_CERT_PATH'
  | 'TEMPORAL_TLS_KEY_PATH'
  | 'TEMPORAL_TLS_CA_PATH'
  | 'TEMPORAL_TLS_SERVER_NAME'
  | 'TEMPORAL_DEV_PORT'
>;

export function temporalAddress(cfg: TemporalTarget): string {
  return cfg.TEMPORAL_ADDRESS ?? `127.0.0.1:${cfg.TEMPORAL_DEV_PORT}`;
}

/** TLS and API-key options for an existing cluster or Temporal Cloud (mTLS certificates or an API key). */
function connectionOptions(cfg: TemporalTarget): ConnectionOptions & NativeConnectionOptions {
  const tlsWanted = cfg.TEMPORAL_TLS ?? Boolean(cfg.TEMPORAL_TLS_CERT_PATH || cfg.TEMPORAL_API_KEY);
  const tls = tlsWanted
    ? {
        serverNameOverride: cfg.TEMPORAL_TLS_SERVER_NAME,
        serverRootCACertificate: cfg.TEMPORAL_TLS_CA_PATH ? fs.readFileSync(cfg.TEMPORAL_TLS_CA_PATH) : undefined,
        clientCertPair:
          cfg.TEMPORAL_TLS_CERT_PATH && cfg.TEMPORAL_TLS_KEY_PATH
            ? { crt: fs.readFileSync(cfg.TEMPORAL_TLS_CERT_PATH), key: fs.readFileSync(cfg.TEMPORAL_TLS_KEY_PATH) }
            : undefined,
      }
    : undefined;
  return { address: temporalAddress(cfg), tls, apiKey: cfg.TEMPORAL_API_KEY };
}

/**
 * The payload codec of every client and worker. `role: 'worker'` in production refuses unencrypted payloads
 * (issue 13 item 3): plain JSON sent through the Web UI or CLI must not reach a workflow around the API's roles.
 */
export function createDataConverter(
  cfg: Pick<AppConfig, 'DATA_DIR' | 'NODE_ENV' | 'PAYLOAD_CODEC_KEYS' | 'PAYLOAD_CODEC_ACTIVE_KEY_ID'>,
  role: 'client' | 'worker' = 'client',
): DataConverter {
  const ring = loadOrCreateKeyring(
    cfg,
    'payload-codec',
    cfg.PAYLOAD_CODEC_KEYS,
    cfg.PAYLOAD_CODEC_ACTIVE_KEY_ID,
    'PAYLOAD_CODEC_KEYS',
  );
  const requireEncrypted = role === 'worker' && cfg.NODE_ENV === 'production';
  return { payloadCodecs: [new EncryptionCodec(ring, { requireEncrypted })] };
}

export async function connectClient(cfg: AppConfig): Promise<Client> {
  const connection = await Connection.connect(connectionOptions(cfg));
  return new Client({ connection, namespace: cfg.TEMPORAL_NAMESPACE, dataConverter: createDataConverter(cfg) });
}

export async function connectWorkerConnection(cfg: AppConfig): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(cfg));
}
