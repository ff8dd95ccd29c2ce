/**
 * The words of a channel configuration's problems, per field: whole sentences naming the field, so that every
 * field's sentences read whole in a translation. Each is looked up when a problem is found (l10n.t at call time).
 */
import { l10n } from '../l10n.ts';
import { charLength, isServerName, isUserId } from './identifiers.ts';

/**
 * A text field's problems, each a whole sentence naming the field (so every field's sentences read whole in a
 * translation). Without `required` the field may be left out.
 */
export interface TextWords {
  required?: () => string;
  /** `given`: quote() of the value. */
  notText: (given: string) => string;
  tooLong: (max: number) => string;
  controls: () => string;
}

/** An allowlist's problems, as whole sentences; entries are numbered from 1. */
export interface AllowlistWords {
  notList: (given: string) => string;
  entryNotText: (number: number, given: string) => string;
  entryTooLong: (number: number, max: number) => string;
  /** `entry`: quote() of the entry. */
  entryNotKind: (number: number, entry: string) => string;
}

/** A choice field's problem: `allowed` lists the values in quotes, `given` is quote() of the value. */
export type NotOneOf = (allowed: string, given: string) => string;

export const FIELD_WORDS = {
  id: {
    required: () => l10n.t('Channel ID is required.'),
    notText: (given) =>
      l10n.t({
        message: 'Channel ID must be text, not {0}.',
        args: [given],
        comment: ['{0} is what was given: a value in quotes, or a kind of value such as "a number"'],
      }),
    tooLong: (max) =>
      l10n.t({
        message: 'Channel ID is longer than {0} characters.',
        args: [max],
        comment: ['{0} is a number of characters'],
      }),
    controls: () => l10n.t('Channel ID contains control characters.'),
  } satisfies TextWords,
  label: {
    notText: (given) =>
      l10n.t({
        message: 'Label must be text, not {0}.',
        args: [given],
        comment: ['{0} is what was given: a value in quotes, or a kind of value such as "a number"'],
      }),
    tooLong: (max) =>
      l10n.t({
        message: 'Label is longer than {0} characters.',
        args: [max],
        comment: ['{0} is a number of characters'],
      }),
    controls: () => l10n.t('Label contains control characters.'),
  } satisfies TextWords,
  homeserver: {
    required: () => l10n.t('Homeserver is required.'),
    notText: (given) =>
      l10n.t({
        message: 'Homeserver must be text, not {0}.',
        args: [given],
        comment: ['{0} is what was given: a value in quotes, or a kind of value such as "a number"'],
      }),
    tooLong: (max) =>
      l10n.t({
        message: 'Homeserver is longer than {0} characters.',
        args: [max],
        comment: ['{0} is a number of characters'],
      }),
    controls: () => l10n.t('Homeserver contains control characters.'),
  } satisfies TextWords,
  authMode: ((allowed, given) =>
    l10n.t({
      message: 'Sign-in method must be one of {0}, not {1}.',
      args: [allowed, given],
      comment: [
        '{0} lists the values it may take, each in quotes; {1} is what was given: a value in quotes, or a kind of value such as "a number"',
      ],
    })) satisfies NotOneOf,
  userId: {
    notText: (given) =>
      l10n.t({
        message: 'User ID must be text, not {0}.',
        args: [given],
        comment: ['{0} is what was given: a value in quotes, or a kind of value such as "a number"'],
      }),
    tooLong: (max) =>
      l10n.t({
        message: 'User ID is longer than {0} characters.',
        args: [max],
        comment: ['{0} is a number of characters'],
      }),
    controls: () => l10n.t('User ID contains control characters.'),
  } satisfies TextWords,
  deviceId: {
    notText: (given) =>
      l10n.t({
        message: 'Device ID must be text, not {0}.',
        args: [given],
        comment: ['{0} is what was given: a value in quotes, or a kind of value such as "a number"'],
      }),
    tooLong: (max) =>
      l10n.t({
        message: 'Device ID is longer than {0} characters.',
        args: [max],
        comment: ['{0} is a number of characters'],
      }),
    controls: () => l10n.t('Device ID contains control characters.'),
  } satisfies TextWords,
  deviceDisplayName: {
    notText: (given) =>
      l10n.t({
        message: 'Device display name must be text, not {0}.',
        args: [given],
        comment: ['{0} is what was given: a value in quotes, or a kind of value such as "a number"'],
      }),
    tooLong: (max) =>
      l10n.t({
        message: 'Device display name is longer than {0} characters.',
        args: [max],
        comment: ['{0} is a number of characters'],
      }),
    controls: () => l10n.t('Device display name contains control characters.'),
  } satisfies TextWords,
  dmPolicy: ((allowed, given) =>
    l10n.t({
      message: 'Direct-message policy must be one of {0}, not {1}.',
      args: [allowed, given],
      comment: [
        '{0} lists the values it may take, each in quotes; {1} is what was given: a value in quotes, or a kind of value such as "a number"',
      ],
    })) satisfies NotOneOf,
  roomPolicy: ((allowed, given) =>
    l10n.t({
      message: 'Room policy must be one of {0}, not {1}.',
      args: [allowed, given],
      comment: [
        '{0} lists the values it may take, each in quotes; {1} is what was given: a value in quotes, or a kind of value such as "a number"',
      ],
    })) satisfies NotOneOf,
  mentionMode: ((allowed, given) =>
    l10n.t({
      message: 'Mention mode must be one of {0}, not {1}.',
      args: [allowed, given],
      comment: [
        '{0} lists the values it may take, each in quotes; {1} is what was given: a value in quotes, or a kind of value such as "a number"',
      ],
    })) satisfies NotOneOf,
  autoJoin: ((allowed, given) =>
    l10n.t({
      message: 'Auto-join must be one of {0}, not {1}.',
      args: [allowed, given],
      comment: [
        '{0} lists the values it may take, each in quotes; {1} is what was given: a value in quotes, or a kind of value such as "a number"',
      ],
    })) satisfies NotOneOf,
  roomAllowlist: {
    notList: (given) =>
      l10n.t({
        message: 'Room allowlist must be a list, not {0}.',
        args: [given],
        comment: ['{0} is what was given: a value in quotes, or a kind of value such as "a number"'],
      }),
    entryNotText: (number, given) =>
      l10n.t({
        message: 'Room allowlist entry {0} must be text, not {1}.',
        args: [number, given],
        comment: [
          '{0} is the number of the entry in the list, counting from 1; {1} is what was given: a value in quotes, or a kind of value such as "a number"',
        ],
      }),
    entryTooLong: (number, max) =>
      l10n.t({
        message: 'Room allowlist entry {0} is longer than {1} characters.',
        args: [number, max],
        comment: ['{0} is the number of the entry in the list, counting from 1'],
      }),
    entryNotKind: (number, entry) =>
      l10n.t({
        message: 'Room allowlist entry {0} ({1}) is not a room ID (!id:server), alias (#alias:server) or * pattern.',
        args: [number, entry],
        comment: ['{0} is the number of the entry in the list, counting from 1; {1} is the entry, in quotes'],
      }),
  } satisfies AllowlistWords,
  userAllowlist: {
    notList: (given) =>
      l10n.t({
        message: 'User allowlist must be a list, not {0}.',
        args: [given],
        comment: ['{0} is what was given: a value in quotes, or a kind of value such as "a number"'],
      }),
    entryNotText: (number, given) =>
      l10n.t({
        message: 'User allowlist entry {0} must be text, not {1}.',
        args: [number, given],
        comment: [
          '{0} is the number of the entry in the list, counting from 1; {1} is what was given: a value in quotes, or a kind of value such as "a number"',
        ],
      }),
    entryTooLong: (number, max) =>
      l10n.t({
        message: 'User allowlist entry {0} is longer than {1} characters.',
        args: [number, max],
        comment: ['{0} is the number of the entry in the list, counting from 1'],
      }),
    entryNotKind: (number, entry) =>
      l10n.t({
        message: 'User allowlist entry {0} ({1}) is not a user ID (@user:server) or * pattern.',
        args: [number, entry],
        comment: ['{0} is the number of the entry in the list, counting from 1; {1} is the entry, in quotes'],
      }),
  } satisfies AllowlistWords,
};

/**
 * A value quoted for a message, shortened so one bad entry cannot flood the UI; a value that is not text is named
 * by its kind ("a number"). `null` is JSON's word, as written in settings.json, and stays as it is.
 */
export function quote(value: unknown): string {
  if (typeof value === 'string') {
    const shown = charLength(value) > 40 ? `${[...value].slice(0, 39).join('')}…` : value;
    return JSON.stringify(shown);
  }
  if (value === null) return 'null';
  if (Array.isArray(value))
    return l10n.t({ message: 'a list', comment: ['A kind of value, given where another was expected'] });
  switch (typeof value) {
    case 'object':
      return l10n.t({ message: 'an object', comment: ['A kind of value, given where another was expected'] });
    case 'number':
      return l10n.t({ message: 'a number', comment: ['A kind of value, given where another was expected'] });
    case 'boolean':
      return l10n.t({ message: 'a boolean', comment: ['A kind of value, given where another was expected'] });
    default:
      // undefined, a function, a bigint or a symbol: no JSON value (settings, the webview's messages) is one,
      // only code passes them, so these stay JavaScript's words.
      return `a ${typeof value}`;
  }
}

/** Why a homeserver entry cannot be used, or undefined. */
export function homeserverProblem(value: string): string | undefined {
  // URL messages never echo the value: a pasted URL may carry a password or a token.
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return l10n.t('The homeserver is not a valid URL.');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      return l10n.t('The homeserver URL must start with https:// (or http:// for a local server).');
    if (url.username || url.password)
      return l10n.t('The homeserver URL must not contain a user name or password; secrets belong in secret storage.');
    if (url.search || url.hash) return l10n.t('The homeserver URL must not have a query (?…) or fragment (#…).');
    return undefined;
  }
  if (value.startsWith('@'))
    return isUserId(value)
      ? undefined
      : l10n.t({
          message: 'Homeserver {0} is not a valid user ID (@you:example.org).',
          args: [quote(value)],
          comment: ['{0} is what the person typed, in quotes'],
        });
  if (isServerName(value)) return undefined;
  return l10n.t({
    message:
      'Homeserver {0} is not a URL (https://matrix.example.org), a server name (example.org) or a user ID (@you:example.org).',
    args: [quote(value)],
    comment: ['{0} is what the person typed, in quotes'],
  });
}
