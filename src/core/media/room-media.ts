/**
 * A room's pictures and files as a room view needs them: an image message's thumbnail and a person's avatar as
 * checked data URIs, a file's bytes to open or save. In an encrypted room the media is an encrypted file: the
 * whole (small) thumbnail file, or the image itself, is fetched and decrypted here, as the server cannot scale
 * what it cannot read. Pictures are kept in a bounded cache while the view is open.
 */
import { MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import type { RoomRequester } from '../sync/room-requests.ts';
import type { RoomEvent } from '../timeline/timeline-item.ts';
import { decryptAttachment, parseEncryptedFile, type EncryptedFile } from './encrypted-attachment.ts';
import { MediaCache } from './media-cache.ts';
import { dataUri, fetchMedia, fetchThumbnail, inlineImageType, type Media } from './media-download.ts';
import { parseMxc } from './mxc.ts';

export interface RoomMedia {
  /** An image message's thumbnail, as a data URI. */
  thumbnail(event: RoomEvent): Promise<string>;
  /** A person's avatar (their `mxc://` address), small and square, as a data URI. */
  avatar(url: string): Promise<string>;
  /** A message's file (or full image), decrypted, with the name it was sent under. */
  download(event: RoomEvent): Promise<{ name: string; bytes: Uint8Array }>;
}

/** Twice the largest the view shows a thumbnail (320×240), for sharp pictures on high-density screens. */
const THUMBNAIL = { width: 640, height: 480 };
const AVATAR = { width: 64, height: 64 };
/** The largest encrypted image decrypted to show as its own thumbnail (it has none of its own). */
const ENCRYPTED_IMAGE_MAX_BYTES = 8 * 1024 * 1024;
/** The largest file opened or saved from a view (it is held in memory on its way). */
export const FILE_MAX_BYTES = 100 * 1024 * 1024;

export class RoomMediaLoader implements RoomMedia {
  private readonly pictures = new MediaCache<{ bytes: Uint8Array; uri: string }>();

  constructor(private readonly requester: RoomRequester) {}

  thumbnail(event: RoomEvent): Promise<string> {
    return this.picture(`event ${event.event_id}`, async () => {
      const content = event.content;
      const info = objectOf(content.info);
      const mimetype = typeof info.mimetype === 'string' ? info.mimetype : '';
      // Encrypted: the sender's own thumbnail when there is one, else the image itself when small enough.
      const encryptedThumbnail = parseEncryptedFile(info.thumbnail_file);
      if (encryptedThumbnail) {
        const thumbnailType = objectOf(info.thumbnail_info).mimetype;
        return this.decrypted(encryptedThumbnail, typeof thumbnailType === 'string' ? thumbnailType : mimetype);
      }
      const encrypted = parseEncryptedFile(content.file);
      if (encrypted) return this.decrypted(encrypted, mimetype, ENCRYPTED_IMAGE_MAX_BYTES);
      const mxc = parseMxc(content.url);
      if (!mxc) throw noImage();
      return fetchThumbnail(this.requester, mxc, { ...THUMBNAIL, method: 'scale' });
    });
  }

  avatar(url: string): Promise<string> {
    return this.picture(`avatar ${url}`, () => {
      const mxc = parseMxc(url);
      if (!mxc) throw noImage();
      return fetchThumbnail(this.requester, mxc, { ...AVATAR, method: 'crop' });
    });
  }

  async download(event: RoomEvent): Promise<{ name: string; bytes: Uint8Array }> {
    const { content } = event;
    const name =
      typeof content.filename === 'string' ? content.filename : typeof content.body === 'string' ? content.body : '';
    const encrypted = parseEncryptedFile(content.file);
    if (encrypted) return { name, bytes: (await this.decrypted(encrypted, '', FILE_MAX_BYTES)).bytes };
    const mxc = parseMxc(content.url);
    if (!mxc)
      throw new MatrixChannelError('unexpected_response', l10n.t('This message names no file that can be fetched.'));
    return { name, bytes: (await fetchMedia(this.requester, mxc, { maxBytes: FILE_MAX_BYTES })).bytes };
  }

  /** A picture loaded once, checked to be an image the page may show, and kept while the cache has room. */
  private async picture(key: string, load: () => Promise<Media>): Promise<string> {
    const { uri } = await this.pictures.get(key, async () => {
      const media = await load();
      const type = inlineImageType(media.mimetype, media.bytes);
      if (!type) throw noImage();
      return { bytes: media.bytes, uri: dataUri(media.bytes, type) };
    });
    return uri;
  }

  private async decrypted(file: EncryptedFile, mimetype: string, maxBytes = FILE_MAX_BYTES): Promise<Media> {
    const { bytes } = await fetchMedia(this.requester, file.mxc, { maxBytes });
    return { bytes: decryptAttachment(bytes, file), mimetype };
  }
}

function noImage(): MatrixChannelError {
  return new MatrixChannelError('unexpected_response', l10n.t('This is not an image the view can show.'));
}

function objectOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
