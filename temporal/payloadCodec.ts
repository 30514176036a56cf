import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { decrypt, encrypt, type Keyring } from '../secrets/keyring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/**
 * AES-256-GCM payload codec: every payload (workflow inputs, signals, results, memo…) is stored encrypted, so buyer
 * data never reaches Temporal's persistence in plaintext. The original payload, metadata included, is proto-encoded
 * and encrypted; the key id travels in the metadata so keys can rotate (old ids stay in the keyring to decrypt).
 */
export class EncryptionCodec implements PayloadCodec {
  /**
   * `requireEncrypted` (the production worker): a plain payload is refused, not passed through. Everything our API
   * sends is encrypted, so a plain one came from elsewhere (the CLI or Web UI with `--input`, past the API's roles).
   */
  constructor(
    private readonly ring: Keyring,
    private readonly opts: { requireEncrypted?: boolean } = {},
  ) {}

  // eslint-disable-next-line @typescript-eslint/require-await -- async so every failure is a rejected promise
  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.ring.keys.get(this.ring.activeKeyId)!;
    return payloads.map((p) => ({
      metadata: {
        [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: utf8(this.ring.activeKeyId),
      },
      data: encrypt(key, temporal.api.common.v1.Payload.encode(p).finish()),
    }));
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- async so every failure is a rejected promise
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const encoding = p.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || Buffer.from(encoding).toString('utf8') !== ENCRYPTED_ENCODING) {
        if (this.opts.requireEncrypted) {
          throw new Error(
            `refused an unencrypted payload (encoding "${encoding ? Buffer.from(encoding).toString('utf8') : ''}"): ` +
              'send workflow input through the API, or encode it through the codec endpoint as an admin',
          );
        }
        return p;
      }
      const keyIdBytes = p.metadata?.[KEY_ID_METADATA];
      const keyId = keyIdBytes ? Buffer.from(keyIdBytes).toString('utf8') : '';
      const key = this.ring.keys.get(keyId);
      if (!key) throw new Error(`payload encrypted with unknown key id "${keyId}"`);
      if (!p.data) throw new Error('encrypted payload has no data');
      return temporal.api.common.v1.Payload.decode(decrypt(key, p.data));
    });
  }
}
