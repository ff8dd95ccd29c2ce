/**
 * The `contextValue` of an account's tree row, which package.json's `view/item/context` menus match:
 * `account.<state>`, then `.renewal` while renewing the session keeps failing (Retry Now), then `.unverified`
 * while a connected account's device is not verified (Verify with Recovery Key). Menus match with regexes
 * anchored at both ends, so every suffix must be allowed for by each of them (menu-context.test.ts checks).
 */
import type { AccountStatus } from './state.ts';

export function accountContextValue(status: AccountStatus): string {
  const encryption = status.encryption;
  const unverified = status.state === 'connected' && encryption && !encryption.off && !encryption.deviceVerified;
  return `account.${status.state}${status.renewal ? '.renewal' : ''}${unverified ? '.unverified' : ''}`;
}
