/**
 * Why an encrypted message cannot be read here, in the person's words: what to wait for, or what to do.
 * Keyed by matrix-js-sdk's decryption failure codes (strings, so this needs no SDK at load).
 */
import { l10n } from '../l10n.ts';

/** Failures that a key arriving a moment later usually cures (worth waiting a little before telling). */
export function mayStillDecrypt(code: string | null | undefined): boolean {
  return code === 'MEGOLM_UNKNOWN_INBOUND_SESSION_ID' || code === 'OLM_UNKNOWN_MESSAGE_INDEX';
}

/** The text shown in place of a message that cannot be decrypted, by failure code; `sender` names who sent it. */
export function undecryptableBody(code: string | null | undefined, sender: string): string {
  switch (code) {
    case 'MEGOLM_UNKNOWN_INBOUND_SESSION_ID':
    case 'OLM_UNKNOWN_MESSAGE_INDEX':
      return l10n.t({
        message: "Encrypted message: waiting for the key from {0}'s device.",
        args: [sender],
        comment: ['{0} is the sender (a display name or Matrix ID)'],
      });
    case 'HISTORICAL_MESSAGE_NO_KEY_BACKUP':
    case 'HISTORICAL_MESSAGE_BACKUP_UNCONFIGURED':
    case 'HISTORICAL_MESSAGE_WORKING_BACKUP':
      return l10n.t(
        'Encrypted message sent before this device existed: verify this device with your recovery key to read it.',
      );
    case 'HISTORICAL_MESSAGE_USER_NOT_JOINED':
      return l10n.t('Encrypted message sent before you joined the room: it cannot be read.');
    case 'MEGOLM_KEY_WITHHELD_FOR_UNVERIFIED_DEVICE':
      return l10n.t(
        'Encrypted message: the sender does not share keys with unverified devices. Verify this device to read it.',
      );
    case 'MEGOLM_KEY_WITHHELD':
      return l10n.t("Encrypted message: the sender's device withheld the key.");
    default:
      return l10n.t('Encrypted message that cannot be decrypted here.');
  }
}
