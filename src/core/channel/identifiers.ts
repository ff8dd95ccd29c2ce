/**
 * The grammar of Matrix identifiers (server names, user IDs, room IDs and aliases), as the channel configuration
 * checks them (config.ts). Pure TypeScript, like the model, so the configuration webview checks alike.
 */

/** The spec caps user IDs and room aliases at 255 bytes. */
export const MAX_IDENTIFIER_BYTES = 255;

/** C0/C1 controls, line/paragraph separators and bidi overrides (which can disguise text). */
export const UNSAFE_TEXT = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
/** Historical user-ID localpart grammar: printable ASCII except ':'. */
const LOCALPART = /^[!-9;-~]+$/;
const DNS_NAME = /^[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV6_LITERAL = /^\[[0-9A-Fa-f:.]{2,45}\]$/;
/** Room version 12 (MSC4291): the room ID is the create event's hash, with no server part. */
const HASH_ROOM_ID = /^![A-Za-z0-9_-]{43}$/;

/** Server name per the spec grammar: DNS name, IPv4 or [IPv6], with an optional port 1–65535. */
export function isServerName(value: string): boolean {
  const match = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d{1,5}))?$/.exec(value);
  if (!match) return false;
  const host = match[1] ?? '';
  const port = match[2];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false;
  if (host.startsWith('[')) return IPV6_LITERAL.test(host);
  // Dotted digits are an IPv4 address, never a DNS name, so 999.1.1.1 is refused.
  if (IPV4.test(host)) return host.split('.').every((octet) => Number(octet) <= 255);
  return host.length <= 255 && DNS_NAME.test(host);
}

/** `@localpart:server` with the historical (lenient) localpart grammar, at most 255 bytes. */
export function isUserId(value: string): boolean {
  return sigilled(value, '@', (localpart) => LOCALPART.test(localpart));
}

/** `!opaque:server`, or a room version 12 ID (`!` and a 43-character hash). */
export function isRoomId(value: string): boolean {
  return HASH_ROOM_ID.test(value) || sigilled(value, '!', (localpart) => LOCALPART.test(localpart));
}

/** `#alias:server`; the alias may be any Unicode except ':', whitespace and control characters. */
export function isRoomAlias(value: string): boolean {
  return sigilled(value, '#', (localpart) => !/[:\s]/u.test(localpart) && !UNSAFE_TEXT.test(localpart));
}

function sigilled(value: string, sigil: string, localpartOk: (localpart: string) => boolean): boolean {
  const colon = value.indexOf(':');
  if (!value.startsWith(sigil) || colon < 2 || utf8Length(value) > MAX_IDENTIFIER_BYTES) return false;
  return localpartOk(value.slice(1, colon)) && isServerName(value.slice(colon + 1));
}

function utf8Length(value: string): number {
  let bytes = 0;
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** Length in characters as people count them (code points), not UTF-16 units. */
export function charLength(value: string): number {
  return [...value].length;
}
