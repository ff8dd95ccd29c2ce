/**
 * The pictures of the room view: avatars and image thumbnails. The page cannot fetch media itself (the
 * homeserver wants the account's token, which never reaches the page), so it asks the host for each picture
 * once it comes near the screen, and the host answers with a checked image as a data URI. Answers are kept for
 * the page's life (a window of at most a few hundred messages); a failed one shows why instead.
 */
import { l10n } from '../../src/core/l10n.ts';
import type { MediaAnswer, RoomViewMessage, TimelineItem } from '../../src/shared/room-view-protocol.ts';
import { el } from './dom.ts';
import type { ItemActions } from './message-element.ts';

/** The largest an image's thumbnail shows (CSS pixels); the host asks the server for about this size. */
const THUMB = { width: 320, height: 240 };

export class MediaImages {
  private readonly answers = new Map<string, MediaAnswer>();
  private readonly asked = new Set<string>();
  private readonly observer: IntersectionObserver;

  constructor(private readonly post: (message: RoomViewMessage) => void) {
    this.observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          this.observer.unobserve(entry.target);
          this.ask((entry.target as HTMLElement).dataset['mediaKey'] ?? '');
        }
      },
      { rootMargin: '400px 0px' },
    );
  }

  /**
   * A person's avatar: their initial, and their picture over it once the host sends one (it sends none for
   * someone without a picture).
   */
  avatar(userId: string, name: string): HTMLElement {
    const avatar = el('span', `avatar hue-${hueOf(userId)}`, initialOf(name));
    avatar.setAttribute('aria-hidden', 'true');
    const key = `avatar:${userId}`;
    const picture = el('img', 'avatar-picture');
    picture.alt = '';
    picture.dataset['mediaKey'] = key;
    avatar.append(picture);
    this.show(picture, key);
    return avatar;
  }

  /** An image (its thumbnail, which opens it) or a file (its name, to open or save). */
  attachment(item: TimelineItem, actions: ItemActions): HTMLElement {
    const media = item.media;
    const name = media?.name || item.body;
    const box = el('div', `attachment ${item.kind}`);
    if (item.kind === 'image' && media?.thumbnail) {
      const open = el('button', 'thumbnail');
      open.title = l10n.t({ message: 'Open {0}', args: [name], comment: ['{0} is the name of an image'] });
      const picture = el('img', 'thumbnail-picture');
      picture.alt = name;
      const size = fitted(media.width, media.height);
      if (size) {
        picture.width = size.width;
        picture.height = size.height;
      }
      const key = `event:${item.eventId}`;
      picture.dataset['mediaKey'] = key;
      open.append(picture);
      open.addEventListener('click', () => actions.openMedia(item));
      box.append(open);
      this.show(picture, key);
    }
    const file = el('div', 'file-row');
    const label = el('span', 'file-name', `📎 ${name}`);
    const size = media?.size !== undefined ? el('span', 'file-size', sizeLabel(media.size)) : undefined;
    const open = el('button', 'action open-file', l10n.t('Open'));
    open.title = l10n.t({ message: 'Open {0} in the editor', args: [name], comment: ['{0} is the name of a file'] });
    open.addEventListener('click', () => actions.openMedia(item));
    const save = el('button', 'action save-file', l10n.t('Save…'));
    save.title = l10n.t({ message: 'Save {0} as…', args: [name], comment: ['{0} is the name of a file'] });
    save.addEventListener('click', () => actions.saveMedia(item));
    file.append(label, ...(size ? [size] : []), open, save);
    box.append(file);
    return box;
  }

  /** The host's answer: every picture waiting for it shows it (or says why not). */
  receive(answer: MediaAnswer): void {
    this.answers.set(answer.key, answer);
    for (const picture of document.querySelectorAll<HTMLImageElement>('img[data-media-key]')) {
      if (picture.dataset['mediaKey'] === answer.key) apply(picture, answer);
    }
  }

  private show(picture: HTMLImageElement, key: string): void {
    const answer = this.answers.get(key);
    if (answer) apply(picture, answer);
    else if (!this.asked.has(key)) this.observer.observe(picture);
  }

  private ask(key: string): void {
    if (this.asked.has(key)) return;
    this.asked.add(key);
    if (key.startsWith('avatar:')) this.post({ type: 'avatar', userId: key.slice('avatar:'.length) });
    else if (key.startsWith('event:')) this.post({ type: 'thumbnail', eventId: key.slice('event:'.length) });
  }
}

function apply(picture: HTMLImageElement, answer: MediaAnswer): void {
  if (answer.dataUri?.startsWith('data:image/')) {
    picture.src = answer.dataUri;
    picture.classList.add('loaded');
  } else if (answer.failed && picture.classList.contains('thumbnail-picture')) {
    picture.replaceWith(el('span', 'media-problem', answer.failed));
  }
}

/** One of six colours for a person, the same every time. */
function hueOf(userId: string): number {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 6;
}

function initialOf(name: string): string {
  const letter = [...name.replace(/^[@#!+]/, '')][0] ?? '?';
  return letter.toUpperCase();
}

/** The thumbnail's size on screen, from the image's own size: within THUMB, proportions kept. */
function fitted(width?: number, height?: number): { width: number; height: number } | undefined {
  if (!width || !height || width <= 0 || height <= 0) return undefined;
  const scale = Math.min(1, THUMB.width / width, THUMB.height / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function sizeLabel(bytes: number): string {
  if (bytes < 1024) return l10n.t({ message: '{0} B', args: [bytes], comment: ['{0} is a size in bytes'] });
  if (bytes < 1024 * 1024)
    return l10n.t({ message: '{0} KB', args: [(bytes / 1024).toFixed(0)], comment: ['{0} is a size in kilobytes'] });
  return l10n.t({
    message: '{0} MB',
    args: [(bytes / 1024 / 1024).toFixed(1)],
    comment: ['{0} is a size in megabytes'],
  });
}
