/**
 * The `contextValue` of an account's tree row, which package.json's `view/item/context` menus match:
 * `account.<state>`, then `.renewal` while renewing the session keeps failing (Retry Now), then `.unverified`
 * while a connected account's device is not verified (Verify with Recovery Key). Menus match with regexes
 * anchored at both ends, so every suffix must be allowed for by each of them (menu-context.test.ts checks).
 */
import type { AccountStatus } from './state.ts';

export function accountContextValue(status: AccountStatus): string {
  const suffix = `${status.renewal ? '.renewal' : ''}${isUnverified(status) ? '.unverified' : ''}`;
  return `account.${status.state}${suffix}`;
}

/** A connected account whose encryption runs on a device not yet verified: the row offers to verify it. */
function isUnverified(status: AccountStatus): boolean {
  const encryption = status.encryption;
  return status.state === 'connected' && !!encryption && !encryption.off && !encryption.deviceVerified;
}

/**
 * Whether the row says in words that the device is not verified: only when the person set up recovery (in
 * Element or another app), so verifying is possible and means something to them. Without recovery every new
 * device is unverified and saying so on every row would nag; the row's Verify action stays.
 */
export function saysUnverified(status: AccountStatus): boolean {
  return isUnverified(status) && status.encryption!.recovery;
}
