import crypto from 'node:crypto';
import type { AppConfig } from '.';
import { loadOrCreateSecret } from '../secrets/keyring';
import { TIKTOK_API_BASE_URL, TIKTOK_AUTH_BASE_URL, TIKTOK_AUTHORIZE_URL_US } from './tiktokHosts';

export interface TikTokSettings {
  appKey: string;
  appSecret: string;
  /** Partner Center service id used in authorization links; the app key stands in when unset. */
  serviceId: string;
  apiBaseUrl: string;
  authBaseUrl: string;
  /** Where sellers consent; unset: the authorization host's /oauth/authorize (the emulator's). */
  authorizeUrl: string;
  /** Our public address: TikTok calls webhooks and redirects sellers there. */
  publicBaseUrl: string;
  /** True when the endpoints are the local emulator (embedded stack). */
  emulated: boolean;
}

/**
 * TikTok settings from the environment. The embedded stack (no TIKTOK_APP_KEY, not production) talks to the local
 * emulator with demo credentials generated once into DATA_DIR, which `npm start` hands to the emulator too.
 */
export function tiktokSettings(cfg: AppConfig): TikTokSettings {
  const publicBaseUrl = (cfg.PUBLIC_BASE_URL ?? `http://localhost:${cfg.API_PORT}`).replace(/\/$/, '');
  if (cfg.TIKTOK_APP_KEY && cfg.TIKTOK_APP_SECRET) {
    const authBaseUrl = cfg.TIKTOK_AUTH_BASE_URL ?? TIKTOK_AUTH_BASE_URL;
    return {
      appKey: cfg.TIKTOK_APP_KEY,
      appSecret: cfg.TIKTOK_APP_SECRET,
      serviceId: cfg.TIKTOK_SERVICE_ID ?? cfg.TIKTOK_APP_KEY,
      apiBaseUrl: cfg.TIKTOK_API_BASE_URL ?? TIKTOK_API_BASE_URL,
      authBaseUrl,
      // Our shops are US shops (policy/regions.ts): the US consent host (https://partner.tiktokshop.com/docv2/page/678e3a3292b0f40314a92d75).
      authorizeUrl: cfg.TIKTOK_AUTHORIZE_URL ?? TIKTOK_AUTHORIZE_URL_US,
      publicBaseUrl,
      emulated: Boolean(cfg.TIKTOK_API_BASE_URL && /127\.0\.0\.1|localhost/.test(cfg.TIKTOK_API_BASE_URL)),
    };
  }
  const appKey = loadOrCreateSecret(
    cfg,
    'tiktok-demo-app-key',
    undefined,
    'TIKTOK_APP_KEY',
    () => `demo${crypto.randomBytes(6).toString('hex')}`,
  ).value;
  const appSecret = loadOrCreateSecret(cfg, 'tiktok-demo-app-secret', undefined, 'TIKTOK_APP_SECRET', () =>
    crypto.randomBytes(20).toString('hex'),
  ).value;
  const emulatorUrl = `http://127.0.0.1:${cfg.EMULATOR_PORT}`;
  return {
    appKey,
    appSecret,
    serviceId: cfg.TIKTOK_SERVICE_ID ?? appKey,
    apiBaseUrl: cfg.TIKTOK_API_BASE_URL ?? emulatorUrl,
    authBaseUrl: cfg.TIKTOK_AUTH_BASE_URL ?? emulatorUrl,
    authorizeUrl: cfg.TIKTOK_AUTHORIZE_URL ?? `${emulatorUrl}/open/authorize`,
    publicBaseUrl,
    emulated: true,
  };
}
