/**
 * Media from the homeserver's media repository, for the room view: thumbnails of images and avatars, and files to
 * open or save. Authenticated media (Matrix v1.11, `/_matrix/client/v1/media`) first; the unauthenticated
 * `/_matrix/media/v3` only when the server says it does not know the new endpoint (never when it refuses us:
 * a 401 or 403 there is an answer, not a missing feature). Bodies are read up to a limit, so a hostile or
 * mistaken server cannot fill the memory of the extension host.
 */
import { failedWithCode, MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import { delayAsked, rateLimitedError, retryingRateLimits } from '../rate-limit.ts';
import type { RoomRequester } from '../sync/room-requests.ts';
import type { Mxc } from './mxc.ts';

export interface Media {
  bytes: Uint8Array;
  /** As the server declared it, without parameters; not to be trusted for display (see inlineImageType). */
  mimetype: string;
}

const MB = 1024 * 1024;
/** A thumbnail is a few hundred kilobytes at most; more is not a thumbnail. */
export const THUMBNAIL_MAX_BYTES = 4 * MB;
/** An error answer is a short JSON object. */
const ERROR_BODY_MAX_BYTES = 64 * 1024;

export interface ThumbnailOptions {
  width: number;
  height: number;
  method: 'scale' | 'crop';
  signal?: AbortSignal;
}

/** A thumbnail of the media at `mxc`, at least `width`×`height` as the server sizes it. */
export function fetchThumbnail(requester: RoomRequester, mxc: Mxc, options: ThumbnailOptions): Promise<Media> {
  const query = new URLSearchParams({
    width: String(Math.max(1, Math.round(options.width))),
    height: String(Math.max(1, Math.round(options.height))),
    method: options.method,
  });
  return fromMediaRepository(requester, `thumbnail/${mediaPath(mxc)}?${query.toString()}`, {
    maxBytes: THUMBNAIL_MAX_BYTES,
    failed: l10n.t('The image could not be loaded'),
    signal: options.signal,
  });
}

/** The media at `mxc` as uploaded, refused past `maxBytes`. */
export function fetchMedia(
  requester: RoomRequester,
  mxc: Mxc,
  options: { maxBytes: number; signal?: AbortSignal },
): Promise<Media> {
  return fromMediaRepository(requester, `download/${mediaPath(mxc)}`, {
    maxBytes: options.maxBytes,
    failed: l10n.t('The file could not be downloaded'),
    signal: options.signal,
  });
}

/** A port's colon may stand in a path as it is (RFC 3986 pchar), and some proxies expect it so. */
function mediaPath(mxc: Mxc): string {
  return `${encodeURIComponent(mxc.serverName).replaceAll('%3A', ':')}/${encodeURIComponent(mxc.mediaId)}`;
}

/**
 * Homeservers that answered that they lack authenticated media: later requests go straight to the old endpoints
 * rather than asking again for every image. Bounded by the accounts of this window.
 */
const legacyOnly = new Set<string>();

interface Fetching {
  maxBytes: number;
  /** What did not happen, a clause: "The image could not be loaded". */
  failed: string;
  signal: AbortSignal | undefined;
}

async function fromMediaRepository(requester: RoomRequester, path: string, fetching: Fetching): Promise<Media> {
  if (!legacyOnly.has(requester.homeserver)) {
    const media = await attempt(requester, `${requester.homeserver}/_matrix/client/v1/media/${path}`, fetching);
    if (media !== UNSUPPORTED) return media;
    legacyOnly.add(requester.homeserver);
  }
  const media = await attempt(requester, `${requester.homeserver}/_matrix/media/v3/${path}`, fetching);
  if (media !== UNSUPPORTED) return media;
  throw new MatrixChannelError(
    'unexpected_response',
    l10n.t({
      message: '{0}: the homeserver has no media repository.',
      args: [fetching.failed],
      comment: ['{0} says what did not happen, a clause such as "The image could not be loaded"'],
    }),
    { code: 'M_UNRECOGNIZED' },
  );
}

const UNSUPPORTED = Symbol('unsupported endpoint');

/** One GET: the media, UNSUPPORTED when the server does not know the endpoint, or a MatrixChannelError. */
async function attempt(requester: RoomRequester, url: string, fetching: Fetching): Promise<Media | typeof UNSUPPORTED> {
  // Our own controller cuts the body off past the limit; the caller's signal ends the request too.
  const cutOff = new AbortController();
  const signal = fetching.signal ? AbortSignal.any([fetching.signal, cutOff.signal]) : cutOff.signal;
  let response: Response;
  try {
    response = await retryingRateLimits(requester.fetch)(url, { method: 'GET', signal });
  } catch (error) {
    throw fetching.signal?.aborted ? fetching.signal.reason : unreachable(fetching.failed, error);
  }
  if (response.ok) {
    const bytes = await readLimited(response, fetching.maxBytes, cutOff, fetching);
    if (bytes === undefined) throw tooLarge(fetching.failed, fetching.maxBytes);
    return { bytes, mimetype: mimetypeOf(response.headers.get('content-type')) };
  }
  const answer = await errorAnswer(response, cutOff, fetching);
  if (lacksEndpoint(response.status, answer)) return UNSUPPORTED;
  throw refusal(response, answer, fetching.failed);
}

/** An endpoint the server does not have: 404 M_UNRECOGNIZED, or a bare 404/405 (a proxy, an old server). */
function lacksEndpoint(status: number, answer: ErrorAnswer | undefined): boolean {
  if (status === 404 && answer?.errcode === 'M_UNRECOGNIZED') return true;
  return (status === 404 || status === 405) && answer === undefined;
}

type ErrorAnswer = { errcode?: string; error?: string; retry_after_ms?: number };

/** The JSON object of an error answer; undefined when there is none (no body, not JSON, too long). */
async function errorAnswer(
  response: Response,
  cutOff: AbortController,
  fetching: Fetching,
): Promise<ErrorAnswer | undefined> {
  const bytes = await readLimited(response, ERROR_BODY_MAX_BYTES, cutOff, fetching).catch(() => undefined);
  if (!bytes) return undefined;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function refusal(response: Response, answer: ErrorAnswer | undefined, failed: string): MatrixChannelError {
  if (response.status === 429) return rateLimitedError(failed, delayAsked(response.headers, answer));
  const code = typeof answer?.errcode === 'string' ? answer.errcode : String(response.status);
  if (response.status === 401)
    return new MatrixChannelError(
      'session_expired',
      l10n.t({
        message: '{0}: the homeserver refused the request ({1}).',
        args: [failed, code],
        comment: [
          '{0} says what did not happen, a clause such as "The image could not be loaded"; {1} is the server\'s error code, such as M_FORBIDDEN, or its HTTP status number',
        ],
      }),
      { code },
    );
  if (response.status >= 500)
    return new MatrixChannelError(
      'server_error',
      l10n.t({
        message: '{0}: the homeserver failed (HTTP {1}).',
        args: [failed, response.status],
        comment: [
          '{0} says what did not happen, a clause such as "The image could not be loaded"; {1} is an HTTP status number, such as 502',
        ],
      }),
      { code },
    );
  const description = typeof answer?.error === 'string' ? answer.error : undefined;
  return new MatrixChannelError('unexpected_response', failedWithCode(failed, code, description), { code });
}

function unreachable(failed: string, cause: unknown): MatrixChannelError {
  return new MatrixChannelError(
    'unreachable',
    l10n.t({
      message: '{0}: the homeserver could not be reached.',
      args: [failed],
      comment: ['{0} says what did not happen, a clause such as "Joining the room failed"'],
    }),
    { cause },
  );
}

function tooLarge(failed: string, maxBytes: number): MatrixChannelError {
  return new MatrixChannelError(
    'unexpected_response',
    l10n.t({
      message: '{0}: it is larger than {1}.',
      args: [failed, sizeText(maxBytes)],
      comment: [
        '{0} says what did not happen, a clause such as "The image could not be loaded"; {1} is a size, such as 4 MB',
      ],
    }),
    { code: 'M_TOO_LARGE' },
  );
}

/** "4 MB", "512 KB", "900 bytes". */
export function sizeText(bytes: number): string {
  const round = (value: number) => Math.round(value * 10) / 10;
  if (bytes >= MB)
    return l10n.t({ message: '{0} MB', args: [round(bytes / MB)], comment: ['{0} is a number of megabytes'] });
  if (bytes >= 1024)
    return l10n.t({ message: '{0} KB', args: [round(bytes / 1024)], comment: ['{0} is a number of kilobytes'] });
  return l10n.t({ message: '{0} bytes', args: [bytes], comment: ['{0} is a number of bytes'] });
}

/**
 * The body, or undefined once it passes `maxBytes` (the request is then aborted, so the server stops sending).
 * A declared Content-Length past the limit is refused before reading.
 */
async function readLimited(
  response: Response,
  maxBytes: number,
  cutOff: AbortController,
  fetching: Fetching,
): Promise<Uint8Array | undefined> {
  const declared = Number(response.headers.get('content-length') ?? '');
  const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader();
  const refuse = () => {
    cutOff.abort();
    void reader?.cancel().catch(() => undefined);
    return undefined;
  };
  if (declared > maxBytes) return refuse();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw fetching.signal?.aborted ? fetching.signal.reason : cutShort(fetching.failed, error);
    }
    if (chunk.done) break;
    total += chunk.value.byteLength;
    if (total > maxBytes) return refuse();
    chunks.push(chunk.value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function cutShort(failed: string, cause: unknown): MatrixChannelError {
  return new MatrixChannelError(
    'unreachable',
    l10n.t({
      message: '{0}: the connection to the homeserver was lost.',
      args: [failed],
      comment: ['{0} says what did not happen, a clause such as "The image could not be loaded"'],
    }),
    { cause },
  );
}

/** A Content-Type without its parameters, in lower case; anything unreadable is plain bytes. */
export function mimetypeOf(contentType: string | null | undefined): string {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type) ? type : 'application/octet-stream';
}

export type InlineImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

/**
 * The type to show an image inline as, or undefined when it must not be: only PNG, JPEG, GIF and WebP (never
 * SVG, which can carry script), and only when the bytes are what the declared type says, since the server (or
 * whoever uploaded) chooses the declared type.
 */
export function inlineImageType(mimetype: string, bytes: Uint8Array): InlineImageType | undefined {
  const declared = mimetypeOf(mimetype);
  const sniffed = sniffImageType(bytes);
  return sniffed !== undefined && (declared === sniffed || (declared === 'image/jpg' && sniffed === 'image/jpeg'))
    ? sniffed
    : undefined;
}

/** The image type the magic bytes announce, among those shown inline. */
export function sniffImageType(bytes: Uint8Array): InlineImageType | undefined {
  const startsWith = (signature: readonly number[], at = 0) =>
    bytes.length >= at + signature.length && signature.every((byte, i) => bytes[at + i] === byte);
  if (startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(ascii('GIF87a')) || startsWith(ascii('GIF89a'))) return 'image/gif';
  if (startsWith(ascii('RIFF')) && startsWith(ascii('WEBP'), 8)) return 'image/webp';
  return undefined;
}

function ascii(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0));
}

/** A `data:` URI of the bytes; a mimetype that is not a plain type/subtype becomes application/octet-stream. */
export function dataUri(bytes: Uint8Array, mimetype: string): string {
  return `data:${mimetypeOf(mimetype)};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}
