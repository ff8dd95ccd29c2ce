/** Matrix OAuth scopes (MSC2967) and device ids MAS accepts. */
import { randomInt } from 'node:crypto';
import type { ScopeForm } from '../../discovery/types.ts';

const PREFIX: Record<ScopeForm, string> = {
  stable: 'urn:matrix:client',
  unstable: 'urn:matrix:org.matrix.msc2967.client',
};

const DEVICE_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** MAS wants at least 10 characters; Element uses 10 uppercase letters and digits. We use 12. */
export function generateDeviceId(): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += DEVICE_ID_ALPHABET[randomInt(DEVICE_ID_ALPHABET.length)];
  return id;
}

const VALID_OAUTH_DEVICE_ID = /^[A-Za-z0-9._~!$&'()*+,;=:@/-]{10,}$/;

export function isValidOAuthDeviceId(deviceId: string): boolean {
  return VALID_OAUTH_DEVICE_ID.test(deviceId);
}

/** The API scope and exactly one device scope, in one form (never mixed). */
export function matrixScope(form: ScopeForm, deviceId: string): string {
  return `${PREFIX[form]}:api:* ${PREFIX[form]}:device:${deviceId}`;
}
