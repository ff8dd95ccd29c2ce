/**
 * Counts of rooms in words, for the tree, the status bar and the badge. l10n has no plural forms, so one room and
 * several rooms are messages of their own. Free of vscode (the core's l10n.t reaches VS Code's translations in
 * the extension), so the words are tested in plain Node.
 *
 * Unread counts above the rooms are counts of rooms ("3 rooms unread"); a room's own row counts its messages.
 * One unit per level, the same in the tree, the status bar and the badge.
 */
import { l10n } from '../core/l10n.ts';

/** "3 unread, 1 mentioning you", "3 unread" or nothing: beside a room's name, in the tree and in pickers. */
export function roomUnreadText(room: { unread: number; mentions: number }): string {
  if (room.mentions)
    return l10n.t({
      message: '{0} unread, {1} mentioning you',
      args: [room.unread, room.mentions],
      comment: ["Beside a room's name: {0} is the number of unread messages; {1} is how many of them mention you"],
    });
  return room.unread
    ? l10n.t({
        message: '{0} unread',
        args: [room.unread],
        comment: ["Beside a room's name: {0} is the number of unread messages"],
      })
    : '';
}

/** "1 room unread", "3 rooms unread": beside an account, and after the status bar's summary. */
export function unreadRoomsText(rooms: number): string {
  return rooms === 1
    ? l10n.t('1 room unread')
    : l10n.t({ message: '{0} rooms unread', args: [rooms], comment: ['{0} is a number of rooms, 2 or more'] });
}

/** "1 room", "3 rooms": the rooms an account has joined, in its tooltip. */
export function roomCountText(rooms: number): string {
  return rooms === 1
    ? l10n.t('1 room')
    : l10n.t({
        message: '{0} rooms',
        args: [rooms],
        comment: ["In an account's tooltip: {0} is the number of rooms it has joined, 2 or more"],
      });
}

/** "1 room with unread messages": the last line of the status bar's tooltip. */
export function roomsWithUnreadText(rooms: number): string {
  return rooms === 1
    ? l10n.t('1 room with unread messages')
    : l10n.t({
        message: '{0} rooms with unread messages',
        args: [rooms],
        comment: ['{0} is a number of rooms, 2 or more'],
      });
}

/** "1 Matrix room with unread messages": the tooltip of the count on the Matrix view's icon. */
export function unreadBadgeTooltip(rooms: number): string {
  return rooms === 1
    ? l10n.t('1 Matrix room with unread messages')
    : l10n.t({
        message: '{0} Matrix rooms with unread messages',
        args: [rooms],
        comment: ['{0} is a number of rooms, 2 or more'],
      });
}
