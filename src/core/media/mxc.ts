/**
 * Matrix content URIs: `mxc://<server-name>/<media-id>`. They come from other people's events, so they are
 * parsed strictly: the parts end up in a URL path, and anything looser could point a request elsewhere on the
 * homeserver (`..`, a query, an encoded slash).
 */

export interface Mxc {
  serverName: string;
  mediaId: string;
}

/** A DNS name or IPv4 literal: dot-separated labels of letters, digits and hyphens (the spec's dns-name). */
const DNS_NAME = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;
/** An IPv6 literal in brackets; its hex groups are not checked further, only its characters. */
const IPV6_LITERAL = /^\[[0-9A-Fa-f:.]{2,45}\]$/;
const MEDIA_ID = /^[A-Za-z0-9_-]+$/;
const MXC = /^mxc:\/\/([^/]+)\/([^/]+)$/;

/** The server name and media ID of an `mxc://` URI; undefined for anything else. */
export function parseMxc(uri: unknown): Mxc | undefined {
  if (typeof uri !== 'string') return undefined;
  const match = MXC.exec(uri);
  if (!match) return undefined;
  const [, serverName = '', mediaId = ''] = match;
  if (!isServerName(serverName) || !MEDIA_ID.test(mediaId)) return undefined;
  return { serverName, mediaId };
}

/** The spec's server_name: hostname (DNS name, IPv4 or [IPv6]) with an optional port. */
export function isServerName(value: string): boolean {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d{1,5}))?$/.exec(value);
  if (!match) return false;
  const [, host = '', port] = match;
  if (port !== undefined && Number(port) > 65_535) return false;
  if (host.startsWith('[')) return IPV6_LITERAL.test(host);
  return host.length > 0 && host.length <= 255 && DNS_NAME.test(host);
}

export function mxcUri(mxc: Mxc): string {
  return `mxc://${mxc.serverName}/${mxc.mediaId}`;
}
