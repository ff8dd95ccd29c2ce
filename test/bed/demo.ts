/**
 * The sandbox's demo world (`npm start`): one "demo" user per homeserver, a demo room on each homeserver that
 * the demo user has joined, and a bot that posts a canned line there now and then.
 */
import { randomBytes } from 'node:crypto';
import type { BedInfo, DemoUser } from './bed.ts';
import { createClassicUser, createOAuthAccount, MatrixApi } from './matrix.ts';
import { BedOAuthClient, signInWithBrowser } from './oauth-client.ts';

export const DEMO_PASSWORD = 'matrix-demo';
const BOT_USERNAME = 'demo-bot';
const BOT_DISPLAY_NAME = 'Demo Bot';
const ROOM_NAME = 'Demo room';
/** The delegated bot's access token outlives any sandbox session (no refresh needed). */
const BOT_TOKEN_TTL_S = 7 * 24 * 3600;

export interface DemoRoom {
  roomId: string;
  name: string;
  /** The bot's Matrix ID. */
  bot: string;
}

export interface Demo {
  delegated: DemoUser;
  classic: DemoUser;
  /** Only with `createDemoUsers(bed, { rooms: true })`. */
  rooms?: { classic: DemoRoom; delegated: DemoRoom };
}

/** What the bot needs to post: a homeserver, its token, a room (not part of the printed BedInfo). */
export interface BotSeat {
  homeserver: string;
  accessToken: string;
  roomId: string;
  /** Mentioned in some lines (so that mention gating has something to do). */
  demoUserId: string;
}

/**
 * One user per homeserver for `npm start`: "demo" on the OAuth homeserver, "demo" on the classic one; with
 * `rooms`, also a demo room on each, created by the bot, which the demo user has joined.
 */
export async function createDemoUsers(
  bed: BedInfo,
  options: { rooms?: boolean } = {},
): Promise<Demo & { seats: BotSeat[] }> {
  const [delegated, classic] = await Promise.all([
    createOAuthAccount(bed, { username: 'demo', password: DEMO_PASSWORD }),
    createClassicUser(bed, 'demo', DEMO_PASSWORD),
  ]);
  const demo: Demo & { seats: BotSeat[] } = {
    delegated: { username: 'demo', password: DEMO_PASSWORD, userId: delegated.userId },
    classic: { username: 'demo', password: DEMO_PASSWORD, userId: classic.userId },
    seats: [],
  };
  if (!options.rooms) {
    // The admin registration signed "demo" in on a device of its own: leave no device behind.
    await new MatrixApi(bed.classic.baseUrl, classic.accessToken).request('POST', '/_matrix/client/v3/logout', {});
    return demo;
  }
  const [classicRoom, delegatedRoom] = await Promise.all([
    classicDemoRoom(bed, classic.userId, classic.accessToken),
    delegatedDemoRoom(bed, delegated.userId),
  ]);
  demo.rooms = { classic: classicRoom.room, delegated: delegatedRoom.room };
  demo.seats = [classicRoom.seat, delegatedRoom.seat];
  return demo;
}

/** Classic homeserver: the bot (registered like any user) creates the room; "demo" joins, then logs out. */
async function classicDemoRoom(
  bed: BedInfo,
  demoUserId: string,
  demoToken: string,
): Promise<{ room: DemoRoom; seat: BotSeat }> {
  const bot = await createClassicUser(bed, BOT_USERNAME, randomBytes(12).toString('base64url'));
  const botApi = new MatrixApi(bed.classic.baseUrl, bot.accessToken);
  const room = await openRoom(botApi, bot.userId, demoUserId);
  const demoApi = new MatrixApi(bed.classic.baseUrl, demoToken);
  await demoApi.join(room.roomId);
  await demoApi.request('POST', '/_matrix/client/v3/logout', {});
  return {
    room,
    seat: { homeserver: bed.classic.baseUrl, accessToken: bot.accessToken, roomId: room.roomId, demoUserId },
  };
}

/**
 * Delegated homeserver: users sign in at the OAuth server, so the bot does (with a long-lived token), and so
 * does "demo", once, to join; that session is revoked right after (which deletes its device).
 */
async function delegatedDemoRoom(bed: BedInfo, demoUserId: string): Promise<{ room: DemoRoom; seat: BotSeat }> {
  const botAccount = await createOAuthAccount(bed, {
    username: BOT_USERNAME,
    password: randomBytes(12).toString('base64url'),
    accessTokenTtl: BOT_TOKEN_TTL_S,
  });
  const client = await BedOAuthClient.fromHomeserver(bed.delegated.baseUrl);
  const bot = await signInWithBrowser(client, botAccount, { loginHint: `mxid:${botAccount.userId}` });
  const botApi = new MatrixApi(bed.delegated.baseUrl, bot.tokens.access_token);
  const room = await openRoom(botApi, botAccount.userId, demoUserId);

  const demo = await signInWithBrowser(
    client,
    { username: 'demo', password: DEMO_PASSWORD },
    { loginHint: `mxid:${demoUserId}` },
  );
  await new MatrixApi(bed.delegated.baseUrl, demo.tokens.access_token).join(room.roomId);
  await client.revoke(demo.clientId, demo.tokens.access_token, 'access_token');
  return {
    room,
    seat: { homeserver: bed.delegated.baseUrl, accessToken: bot.tokens.access_token, roomId: room.roomId, demoUserId },
  };
}

async function openRoom(botApi: MatrixApi, botUserId: string, demoUserId: string): Promise<DemoRoom> {
  await botApi.request('PUT', `/_matrix/client/v3/profile/${encodeURIComponent(botUserId)}/displayname`, {
    displayname: BOT_DISPLAY_NAME,
  });
  const roomId = await botApi.createRoom({ name: ROOM_NAME, invite: [demoUserId] });
  await botApi.request('PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.topic/`, {
    topic: 'The sandbox bot posts here every 20 seconds or so.',
  });
  return { roomId, name: ROOM_NAME, bot: botUserId };
}

/** What the bot says, in turn; `{demo}` is replaced by a mention of the demo user. */
const LINES = [
  'Good morning! The nightly build is green again.',
  'Reminder: stand-up in 10 minutes.',
  '{demo}, could you have a look at the review when you have a moment?',
  'Deploy to staging finished without errors.',
  'Anyone up for lunch at noon?',
  '{demo}: the release notes draft is ready for you.',
];

export interface DemoBot {
  stop(): void;
}

/**
 * Posts a line into each seat's room every `intervalMs` (rooms staggered), at most `maxMessages` per room
 * (then one last line, and silence): bounded, so a forgotten sandbox does not fill its rooms forever.
 */
export function startDemoBot(
  seats: BotSeat[],
  options: { intervalMs?: number; maxMessages?: number; log?: (line: string) => void } = {},
): DemoBot {
  const intervalMs = options.intervalMs ?? 20_000;
  const maxMessages = options.maxMessages ?? 180;
  const log = options.log ?? (() => {});
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  seats.forEach((seat, index) => {
    const api = new MatrixApi(seat.homeserver, seat.accessToken);
    let sent = 0;
    const post = async () => {
      if (stopped) return;
      const last = sent === maxMessages;
      const line = last ? 'That was my last message for this sandbox session. Bye!' : LINES[sent % LINES.length]!;
      const mentions = line.includes('{demo}');
      const body = line.replaceAll('{demo}', seat.demoUserId);
      try {
        await api.sendText(seat.roomId, body, { 'm.mentions': mentions ? { user_ids: [seat.demoUserId] } : {} });
      } catch (error) {
        if (!stopped) log(`bot: could not post to ${seat.roomId}: ${(error as Error).message}`);
      }
      sent++;
      if (sent > maxMessages) clearInterval(timer);
    };
    let timer: NodeJS.Timeout;
    // Staggered: the rooms take turns, so something happens every intervalMs / seats.length.
    const start = setTimeout(
      () => {
        void post();
        timer = setInterval(() => void post(), intervalMs);
        timers.push(timer);
      },
      Math.round((intervalMs / Math.max(seats.length, 1)) * index) + 1_000,
    );
    timers.push(start);
  });

  return {
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
