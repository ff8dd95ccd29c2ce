/**
 * The room view's pictures and files, without VS Code: the page asks for an image's thumbnail or a person's
 * avatar when it comes into view, and gets a checked picture as a data URI (the page never sees the account's
 * token, which the homeserver wants for its media); a file is fetched (and decrypted, in an encrypted room)
 * only when the person opens or saves it. Each picture is asked for once per page; failures say why.
 */
import { MatrixChannelError } from '../../core/errors.ts';
import { l10n } from '../../core/l10n.ts';
import type { Logger } from '../../core/log.ts';
import type { RoomMedia } from '../../core/media/room-media.ts';
import type { RoomEvent } from '../../core/timeline/timeline-item.ts';
import type { MediaAnswer } from '../../shared/room-view-protocol.ts';

export interface RoomViewMediaDeps {
  loader: RoomMedia;
  files: {
    /** Shows the file in the editor (an image in VS Code's image preview, text as text). */
    open(name: string, bytes: Uint8Array): Promise<void>;
    /** Asks where, then writes it there. */
    save(name: string, bytes: Uint8Array): Promise<void>;
  };
  post(message: MediaAnswer): void;
  log: Logger;
  /** A message of the window, as the server sent it (decrypted). */
  event(eventId: string): RoomEvent | undefined;
  /** A member's avatar (`mxc://`), when they have one. */
  avatarOf(userId: string): Promise<string | undefined>;
}

export class RoomViewMedia {
  constructor(private readonly deps: RoomViewMediaDeps) {}

  async thumbnail(eventId: string): Promise<void> {
    const key = `event:${eventId}`;
    const event = this.deps.event(eventId);
    if (!event) return this.deps.post({ type: 'media', key, failed: l10n.t('The image is no longer loaded.') });
    await this.answer(key, () => this.deps.loader.thumbnail(event));
  }

  /** A person's picture; none when they have none (the page keeps their initial). */
  async avatar(userId: string): Promise<void> {
    const url = await this.deps.avatarOf(userId);
    if (url) await this.answer(`avatar:${userId}`, () => this.deps.loader.avatar(url));
  }

  /** Opens or saves a message's file (its bytes are fetched only now). */
  async file(eventId: string, how: 'open' | 'save'): Promise<void> {
    const event = this.deps.event(eventId);
    if (!event)
      throw new MatrixChannelError(
        'unexpected_response',
        l10n.t('The file is no longer loaded: scroll to its message again.'),
      );
    const { name, bytes } = await this.deps.loader.download(event);
    await (how === 'open' ? this.deps.files.open(name, bytes) : this.deps.files.save(name, bytes));
  }

  private async answer(key: string, load: () => Promise<string>): Promise<void> {
    try {
      this.deps.post({ type: 'media', key, dataUri: await load() });
    } catch (error) {
      this.deps.log.warn(`room view: a picture (${key.split(':')[0]}): ${String(error)}`);
      const failed = error instanceof MatrixChannelError ? error.reason : l10n.t('The picture could not be loaded.');
      this.deps.post({ type: 'media', key, failed });
    }
  }
}
