/**
 * The "What reaches you" controls of the channel form: who may send direct messages, which rooms notify and
 * about what, invitations, the notification switch and the two allowlists, each reporting its edits.
 */
import { l10n } from '../../src/core/l10n.ts';
import type { Policy } from '../../src/shared/webviewProtocol.ts';
import { checkbox, dropdown, type Control } from '../ui/toolkit.ts';
import { AllowlistEditor } from './allowlist-editor.ts';
import type { FormViewEvents } from './form-view.ts';

export type ChoiceKey = 'dmPolicy' | 'roomPolicy' | 'mentionMode' | 'autoJoin';

export type ReachControls = ReturnType<typeof reachControls>;

function policyChoices(): Array<{ value: Policy; label: string }> {
  return [
    { value: 'allowlist', label: l10n.t('Only those on the allowlist') },
    { value: 'open', label: l10n.t('Anyone') },
    { value: 'disabled', label: l10n.t('No one') },
  ];
}

function roomChoices(): Array<{ value: Policy; label: string }> {
  return [
    { value: 'allowlist', label: l10n.t('Only rooms on the allowlist') },
    { value: 'open', label: l10n.t('Every room I joined') },
    { value: 'disabled', label: l10n.t('None') },
  ];
}

export function reachControls(events: FormViewEvents) {
  const notifications = checkbox({
    id: 'notifications',
    label: l10n.t('Show notifications for this channel'),
  });
  const choices = {
    dmPolicy: dropdown({ id: 'dmPolicy', label: l10n.t('Direct messages from'), choices: policyChoices() }),
    roomPolicy: dropdown({ id: 'roomPolicy', label: l10n.t('Rooms that can notify you'), choices: roomChoices() }),
    mentionMode: dropdown({
      id: 'mentionMode',
      label: l10n.t('In those rooms, notify about'),
      choices: [
        { value: 'mention', label: l10n.t('Mentions of me') },
        { value: 'always', label: l10n.t('Every message') },
        { value: 'none', label: l10n.t('Nothing') },
      ],
    }),
    autoJoin: dropdown({
      id: 'autoJoin',
      label: l10n.t('Invitations'),
      choices: [
        { value: 'ask', label: l10n.t('Ask me') },
        { value: 'always', label: l10n.t('Join when the policy allows') },
        { value: 'allowlist', label: l10n.t('Join only allowlisted rooms') },
        { value: 'off', label: l10n.t('Never join automatically') },
      ],
    }),
  };
  for (const [key, control] of Object.entries(choices) as Array<[ChoiceKey, Control<string>]>) {
    control.onChange((value) => events.edit({ [key]: value }, key));
  }
  notifications.onChange((value) => events.edit({ notifications: value }, 'notifications'));
  const allowlists = {
    roomAllowlist: new AllowlistEditor({
      field: 'roomAllowlist',
      label: l10n.t('Room allowlist'),
      addAriaLabel: l10n.t('Add to room allowlist'),
      placeholder: l10n.t('!room:example.org, #alias:example.org or *:example.org'),
      help: l10n.t('Room IDs or aliases; * matches anything.'),
      onChange: (entries) => events.edit({ roomAllowlist: entries }, 'roomAllowlist'),
      pick: { label: l10n.t('Add joined rooms…'), onPick: () => events.pickRooms() },
    }),
    userAllowlist: new AllowlistEditor({
      field: 'userAllowlist',
      label: l10n.t('User allowlist'),
      addAriaLabel: l10n.t('Add to user allowlist'),
      placeholder: l10n.t('@friend:example.org or @*:example.org'),
      help: l10n.t('Matrix IDs, compared without case; * matches anything.'),
      onChange: (entries) => events.edit({ userAllowlist: entries }, 'userAllowlist'),
    }),
  };
  return { choices, notifications, allowlists };
}
