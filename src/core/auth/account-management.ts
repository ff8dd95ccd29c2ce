/**
 * Links into the user's account page at the authorization server (MSC4191): profile, devices, one device,
 * sign a device out, reset cross-signing. Each action has a current name and an older one; we use whichever
 * the server lists (or the current one when it lists none).
 */
import type { AuthMetadata } from '../discovery/types.ts';

export type AccountAction = 'profile' | 'devices' | 'device' | 'delete_device' | 'cross_signing_reset';

const ACTION_NAMES: Record<AccountAction, string[]> = {
  profile: ['org.matrix.profile'],
  devices: ['org.matrix.devices_list', 'org.matrix.sessions_list'],
  device: ['org.matrix.device_view', 'org.matrix.session_view'],
  delete_device: ['org.matrix.device_delete', 'org.matrix.session_end'],
  cross_signing_reset: ['org.matrix.cross_signing_reset'],
};

const NEEDS_DEVICE = new Set<AccountAction>(['device', 'delete_device']);

/** The URL to open, or undefined when the server has no account page or does not support the action. */
export function accountManagementUrl(
  metadata: AuthMetadata,
  action: AccountAction,
  deviceId?: string,
): string | undefined {
  if (!metadata.account_management_uri) return undefined;
  const supported = metadata.account_management_actions_supported;
  const names = ACTION_NAMES[action];
  const name = supported ? names.find((candidate) => supported.includes(candidate)) : names[0];
  if (!name) return undefined;
  if (NEEDS_DEVICE.has(action) && !deviceId) throw new Error(`the ${action} action needs a device id`);
  const url = new URL(metadata.account_management_uri);
  url.searchParams.set('action', name);
  if (NEEDS_DEVICE.has(action) && deviceId) url.searchParams.set('device_id', deviceId);
  return url.href;
}
