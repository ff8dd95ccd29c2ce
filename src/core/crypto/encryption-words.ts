/**
 * The account's encryption in words, for the tree's tooltip: one line each for this device, the key backup
 * and recovery, with what to do when something is missing (said there, never as a notification).
 */
import { l10n } from '../l10n.ts';
import type { EncryptionStatus } from './status-types.ts';

export function encryptionLines(status: EncryptionStatus): string[] {
  if (status.off)
    return [
      l10n.t({
        message: 'Encryption: off on this device. {0}',
        args: [status.off],
        comment: ['{0} is why encryption is off, one or two sentences'],
      }),
    ];
  const lines: string[] = [];
  if (status.reset)
    lines.push(
      l10n.t(
        'The encryption keys stored for this account could not be read, so this device started afresh: messages from before cannot be decrypted here.',
      ),
    );
  lines.push(
    status.deviceVerified
      ? l10n.t('Encryption: this device is verified.')
      : l10n.t(
          'Encryption: this device is not verified. Verify it with your recovery key or another of your devices, so that others trust it and older messages can be read.',
        ),
  );
  // An unverified device does not use the account's backup yet (it cannot trust its key): not "off".
  lines.push(
    status.keyBackup
      ? l10n.t('Key backup: on.')
      : status.recovery && !status.deviceVerified
        ? l10n.t('Key backup: not used until this device is verified.')
        : l10n.t('Key backup: off.'),
  );
  lines.push(status.recovery ? l10n.t('Recovery: set up.') : l10n.t('Recovery: not set up.'));
  return lines;
}
