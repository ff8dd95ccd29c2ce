import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { MatrixApi } from '../../bed/matrix.ts';
import type { ChannelConfig } from '../../../src/core/channel/config.ts';
import { isMatrixChannelError } from '../../../src/core/errors.ts';
import { SessionStore } from '../../../src/core/session/session-store.ts';
import { ChannelSync, type ChannelMessage } from '../../../src/core/sync/channel-sync.ts';
import { MemorySyncStateStore } from '../../../src/core/sync/sync-state-store.ts';
import { AccountService, type ChannelConfigStore } from '../../../src/core/account/account-service.ts';
import { SignInEngine } from '../../../src/core/auth/sign-in-engine.ts';
import { LoopbackFlow } from '../../../src/core/auth/oauth/flows/loopback.ts';
import { CapturedLog, identity, MemorySecrets } from './support.ts';
import {
  configOn,
  HOMESERVERS,
  skipMissingHomeservers,
  liveChannel,
  sharedRoom,
  started,
  threeUsers,
  twoUsers,
  userOn,
  waitFor,
} from './live-support.ts';

const suite = (server: string) => `core: live channel (${server})`;
skipMissingHomeservers(suite);
for (const hs of HOMESERVERS)
  describe(suite(hs.name), () => {
    it('delivers new messages only: no history, not our own, each once; a reply is a reply', async () => {
      const { me, other, mine, theirs } = await twoUsers(hs);
      const roomId = await sharedRoom(theirs, mine, me.userId, { name: 'Dev' });
      await theirs.sendText(roomId, 'history before start');
      const channel = await liveChannel(
        me,
        configOn(hs, { roomPolicy: 'allowlist', roomAllowlist: [roomId], mentionMode: 'always' }),
      );
      assert.equal(channel.syncUrls[0]?.includes('since='), false, 'a fresh channel starts with an initial sync');

      await mine.sendText(roomId, 'my own message');
      const eventId = await theirs.sendText(roomId, 'hello from the other side');
      const message = await channel.until('hello from the other side');
      assert.deepEqual(
        { ...message, ts: 0 },
        {
          accountId: message.accountId,
          roomId,
          roomName: 'Dev',
          eventId,
          sender: other.userId,
          senderName: message.senderName,
          body: 'hello from the other side',
          encrypted: false,
          isDirect: false,
          ts: 0,
        },
      );

      const reply = await channel.sync.sendText(roomId, 'my answer', { replyTo: eventId });
      const sent = await theirs.request<{ content: Record<string, unknown>; sender: string }>(
        'GET',
        `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/event/${encodeURIComponent(reply.eventId)}`,
      );
      assert.equal(sent.sender, me.userId);
      assert.deepEqual(sent.content['m.relates_to'], { 'm.in_reply_to': { event_id: eventId } });
      assert.equal(sent.content['body'], 'my answer');

      await theirs.sendText(roomId, 'last');
      await channel.until('last');
      await channel.sync.idle();
      assert.deepEqual(
        channel.bodies(),
        ['hello from the other side', 'last'],
        'no history, nothing of ours, nothing twice',
      );
      await channel.sync.stop();
    });

    it('room policies: allowlisted room only, mention gating, user allowlist', async () => {
      const { me, friend: other, stranger, mine, friends: theirs, strangers } = await threeUsers(hs);
      const allowed = await sharedRoom(theirs, mine, me.userId, { name: 'Allowed' });
      const elsewhere = await sharedRoom(theirs, mine, me.userId, { name: 'Elsewhere' });
      await theirs.invite(allowed, stranger.userId);
      await strangers.join(allowed);
      const channel = await liveChannel(
        me,
        configOn(hs, { roomPolicy: 'allowlist', roomAllowlist: [allowed], mentionMode: 'mention' }),
      );

      await theirs.sendText(elsewhere, `not an allowed room ${me.userId}`);
      await theirs.sendText(allowed, 'no mention');
      await theirs.sendText(allowed, 'intentional mention', { 'm.mentions': { user_ids: [me.userId] } });
      await theirs.sendText(allowed, `legacy mention of ${me.userId.toUpperCase()}`);
      await theirs.sendText(allowed, `quoted ${me.userId} but m.mentions says no one`, { 'm.mentions': {} });
      await strangers.sendText(allowed, `stranger mentions ${me.userId}`);
      await theirs.sendText(allowed, `end ${me.userId}`);
      await channel.until(`end ${me.userId}`);
      await channel.sync.idle();
      assert.deepEqual(channel.bodies(), [
        'intentional mention',
        `legacy mention of ${me.userId.toUpperCase()}`,
        `stranger mentions ${me.userId}`,
        `end ${me.userId}`,
      ]);
      // Why a room stays quiet is in the log (Show Log), with the rule: once per room and rule, though two
      // messages in the allowed room were not mentions. (One response may carry both rooms, in any order.)
      assert.deepEqual(
        channel.log.lines
          .map((line) => /messages in (\S+) do not notify: ([^(]+?) \(/.exec(line))
          .flatMap((match) => (match ? [`${match[1]} ${match[2]}`] : []))
          .sort(),
        [`${allowed} not mentioned`, `${elsewhere} room not in the allowlist`].sort(),
      );

      // A user allowlist (a case-insensitive glob) restricts who is heard in rooms too; mention mode "always".
      channel.setConfig(
        configOn(hs, {
          roomPolicy: 'open',
          mentionMode: 'always',
          userAllowlist: [other.userId.toUpperCase().replace(/.{2}:/, '*:')],
        }),
      );
      await strangers.sendText(allowed, 'stranger, not listed');
      await theirs.sendText(elsewhere, 'listed sender, open room policy');
      await theirs.sendText(allowed, 'end 2');
      await channel.until('end 2');
      await channel.sync.idle();
      // Two rooms: one sync response may carry both, and a response lists its rooms in no set order.
      assert.deepEqual(channel.bodies().slice(4).sort(), ['end 2', 'listed sender, open room policy']);

      channel.setConfig(configOn(hs, { roomPolicy: 'disabled', mentionMode: 'always', dmPolicy: 'open' }));
      await theirs.sendText(allowed, `rooms are off ${me.userId}`);
      await channel.sync.idle();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await channel.sync.idle();
      assert.equal(channel.messages.length, 6, 'room policy disabled: nothing from rooms');
      await channel.sync.stop();
    });

    it('DM policies: allowlisted DM senders, disabled DMs', async () => {
      const { me, friend, mine, friends, strangers } = await threeUsers(hs);
      const channel = await liveChannel(
        me,
        configOn(hs, {
          dmPolicy: 'allowlist',
          userAllowlist: [friend.userId],
          roomPolicy: 'disabled',
          autoJoin: 'off',
        }),
      );
      const dmWithFriend = await friends.createRoom({ invite: [me.userId], isDirect: true });
      await mine.join(dmWithFriend);
      const dmWithStranger = await strangers.createRoom({ invite: [me.userId], isDirect: true });
      await mine.join(dmWithStranger);

      await strangers.sendText(dmWithStranger, 'hi from a stranger');
      await friends.sendText(dmWithFriend, 'hi from a friend');
      const message = await channel.until('hi from a friend');
      assert.equal(message.isDirect, true);
      await channel.sync.idle();
      assert.deepEqual(channel.bodies(), ['hi from a friend']);

      channel.setConfig(configOn(hs, { dmPolicy: 'disabled', roomPolicy: 'open', mentionMode: 'always' }));
      await friends.sendText(dmWithFriend, 'DMs are off');
      const room = await sharedRoom(friends, mine, me.userId, { name: 'Named room' });
      await friends.sendText(room, 'a room message');
      await channel.until('a room message');
      await channel.sync.idle();
      assert.deepEqual(channel.bodies(), ['hi from a friend', 'a room message']);
      await channel.sync.stop();
    });

    it('invites are joined or ignored per policy', async () => {
      const { me, friend, mine, friends, strangers } = await threeUsers(hs);
      const channel = await liveChannel(
        me,
        configOn(hs, {
          dmPolicy: 'allowlist',
          roomPolicy: 'allowlist',
          userAllowlist: [friend.userId],
          autoJoin: 'always',
        }),
      );

      const fromStranger = await strangers.createRoom({ name: 'Spam', invite: [me.userId] });
      const strangerDm = await strangers.createRoom({ invite: [me.userId], isDirect: true });
      const fromFriend = await friends.createRoom({ name: 'Team', invite: [me.userId] });
      const friendDm = await friends.createRoom({ invite: [me.userId], isDirect: true });
      await waitFor('four invites', () => channel.invites.length >= 4);
      await channel.sync.idle();
      const byRoom = new Map(channel.invites.map((invite) => [invite.roomId, invite]));
      assert.equal(byRoom.get(fromFriend)?.joined, true, 'room invite from an allowed user');
      assert.equal(byRoom.get(friendDm)?.joined, true, 'DM invite from an allowed user');
      assert.equal(byRoom.get(friendDm)?.isDirect, true);
      assert.equal(byRoom.get(fromStranger)?.joined, false);
      assert.equal(byRoom.get(strangerDm)?.joined, false);
      const { joined_rooms } = await mine.request<{ joined_rooms: string[] }>('GET', '/_matrix/client/v3/joined_rooms');
      assert.deepEqual(new Set(joined_rooms), new Set([fromFriend, friendDm]));
      await channel.sync.stop();

      // auto_join off: nothing is joined, whatever the policy says. A fresh start also handles the invites
      // still pending from before (the stranger's two).
      const off = await liveChannel(me, configOn(hs, { dmPolicy: 'open', roomPolicy: 'open', autoJoin: 'off' }));
      await waitFor('the pending invites', () =>
        [fromStranger, strangerDm].every((roomId) =>
          off.invites.some((invite) => invite.roomId === roomId && !invite.joined),
        ),
      );
      const another = await friends.createRoom({ name: 'Another', invite: [me.userId] });
      await waitFor('the invite', () => off.invites.find((invite) => invite.roomId === another));
      assert.equal(off.invites.find((invite) => invite.roomId === another)?.joined, false);
      await off.sync.stop();
    });

    it('encrypted rooms without encryption: sending is refused, incoming events say why they are unreadable', async () => {
      const { me, mine, theirs } = await twoUsers(hs);
      const roomId = await sharedRoom(theirs, mine, me.userId, { name: 'Secret', encrypted: true });
      const channel = await liveChannel(me, configOn(hs, { roomPolicy: 'open', mentionMode: 'always' }));

      await assert.rejects(
        channel.sync.sendText(roomId, 'in the clear?'),
        (error: unknown) => isMatrixChannelError(error, 'encrypted_room') && /encrypted/.test(error.message),
      );
      const { chunk } = await theirs.request<{ chunk: Array<{ type: string }> }>(
        'GET',
        `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=20`,
      );
      assert.equal(
        chunk.some((event) => event.type === 'm.room.message'),
        false,
        'nothing was sent',
      );

      const eventId = (
        await theirs.request<{ event_id: string }>(
          'PUT',
          `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.encrypted/${randomBytes(6).toString('hex')}`,
          {
            algorithm: 'm.megolm.v1.aes-sha2',
            ciphertext: 'AwgAEn...',
            device_id: 'X',
            sender_key: 'Y',
            session_id: 'Z',
          },
        )
      ).event_id;
      const message = await waitFor('the encrypted event', () => channel.messages.find((m) => m.eventId === eventId));
      assert.equal(message.encrypted, true);
      assert.equal(message.body, 'Encrypted message: encryption is not running for this account.');
      await channel.sync.stop();
    });

    it('a restart resumes from the stored sync token; what came while away is history', async () => {
      const { me, mine, theirs } = await twoUsers(hs);
      const roomId = await sharedRoom(theirs, mine, me.userId, { name: 'Resume' });
      const cfg = configOn(hs, { roomPolicy: 'allowlist', roomAllowlist: [roomId], mentionMode: 'always' });
      const first = await liveChannel(me, cfg);
      await theirs.sendText(roomId, 'before the restart');
      await first.until('before the restart');
      await first.sync.idle();
      await first.sync.stop();
      assert.ok(first.store.get(cfg.id), 'the token is stored');

      await theirs.sendText(roomId, 'while away');
      await new Promise((resolve) => setTimeout(resolve, 20));
      const second = await liveChannel(me, cfg, first.store);
      assert.ok(second.syncUrls[0]?.includes('since='), 'the first /sync of the restart is incremental');
      await theirs.sendText(roomId, 'after the restart');
      const message = await second.until('after the restart');
      assert.equal(message.roomName, 'Resume', 'the room facts were read for the resumed room');
      await second.sync.idle();
      assert.deepEqual(second.bodies(), ['after the restart']);
      await second.sync.stop();
    });

    it('a lost connection shows "reconnecting" with the retry time, then "connected"; nothing lost or doubled', async () => {
      const { me, mine, theirs } = await twoUsers(hs);
      const roomId = await sharedRoom(theirs, mine, me.userId, { name: 'Flaky' });
      let outage = false;
      const flakyFetch: typeof fetch = (input, init) =>
        outage ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
      const channel = await liveChannel(me, configOn(hs, { roomPolicy: 'open', mentionMode: 'always' }), undefined, {
        fetch: flakyFetch,
        backoff: { initialMs: 300, maxMs: 1_200, healthyMs: 60_000 },
      });
      await theirs.sendText(roomId, 'before the outage');
      await channel.until('before the outage');

      outage = true;
      const lost = Date.now();
      const reconnecting = await waitFor('reconnecting', () => channel.states.find((s) => s.state === 'reconnecting'));
      assert.ok(reconnecting.state === 'reconnecting' && reconnecting.retryAt >= lost, 'the next retry time is given');
      await theirs.sendText(roomId, 'during the outage');
      await waitFor('a few retries', () => channel.states.filter((s) => s.state === 'reconnecting').length >= 3);
      const retries = channel.states.flatMap((s) => (s.state === 'reconnecting' ? [s] : []));
      outage = false;
      await waitFor('connected again', () => channel.sync.state.state === 'connected');
      await theirs.sendText(roomId, 'after the outage');
      await channel.until('after the outage');
      await channel.sync.idle();
      assert.deepEqual(channel.bodies(), ['before the outage', 'during the outage', 'after the outage']);
      // The delays double (300, 600, 1200, then capped): the retry times are that far apart.
      assert.ok(retries.length >= 3);
      const gaps = retries.slice(1, 3).map((retry, i) => retry.retryAt - retries[i]!.retryAt);
      assert.ok(gaps[0]! >= 550 && gaps[0]! < 1_100 && gaps[1]! >= 1_150, `backoff gaps ${gaps.join(', ')}`);
      await channel.sync.stop();
    });

    it('a session the server ended shows "needs sign-in", not endless reconnecting', async () => {
      const me = await userOn(hs);
      const channel = await liveChannel(me, configOn(hs));
      await new MatrixApi(hs.baseUrl, me.accessToken).request('POST', '/_matrix/client/v3/logout', {});
      await waitFor('needs sign-in', () => channel.sync.state.state === 'needs_sign_in', 15_000);
      assert.equal(
        channel.states.some((s) => s.state === 'reconnecting'),
        false,
      );
      await channel.sync.stop();
    });

    it('the account service runs the live channel: syncing, connected, messages, replies, stopped on sign-out', async () => {
      const { me, mine, theirs } = await twoUsers(hs);
      const roomId = await sharedRoom(theirs, mine, me.userId, { name: 'Service' });
      const log = new CapturedLog();
      const configs: ChannelConfig[] = [];
      const configStore: ChannelConfigStore = {
        list: () => configs,
        upsert: async (c) => {
          configs.splice(0, configs.length, ...configs.filter((x) => x.id !== c.id), c);
        },
        remove: async (id) => {
          configs.splice(0, configs.length, ...configs.filter((x) => x.id !== id));
        },
      };
      const tokens = new MemorySyncStateStore();
      const engine = new SignInEngine({
        identity,
        host: 'local',
        flows: [new LoopbackFlow()],
        openBrowser: async () => {},
        store: new SessionStore(new MemorySecrets(), log.logger),
        log: log.logger,
      });
      const service = new AccountService({
        configs: configStore,
        engine: async () => engine,
        log: log.logger,
        channels: ({ accountId, session, config: current }) => {
          const sync = new ChannelSync({
            accountId,
            session,
            config: current,
            store: tokens,
            log: log.logger,
            pollTimeoutMs: 2_000,
          });
          started.push(sync);
          return sync;
        },
      });
      const states: string[] = [];
      const cfg = configOn(hs, { userId: me.userId, roomPolicy: 'open', mentionMode: 'always' });
      service.onDidChange(() => states.push(service.account(cfg.id)?.status.state ?? 'absent'));
      const received: ChannelMessage[] = [];
      service.onMessage((message) => received.push(message));
      await service.signIn(cfg, { password: me.password });
      await waitFor('connected', () => service.account(cfg.id)?.status.state === 'connected');
      assert.ok(
        states.indexOf('syncing') >= 0 && states.indexOf('syncing') < states.lastIndexOf('connected'),
        `syncing, then connected: ${states.join(' ')}`,
      );

      const eventId = await theirs.sendText(roomId, 'to the service');
      const message = await waitFor('the message', () => received.find((m) => m.body === 'to the service'));
      assert.equal(message.accountId, cfg.id);
      const reply = await service.sendText(cfg.id, roomId, 'answered', { replyTo: eventId });
      const sent = await theirs.request<{ content: Record<string, unknown> }>(
        'GET',
        `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/event/${encodeURIComponent(reply.eventId)}`,
      );
      assert.deepEqual(sent.content['m.relates_to'], { 'm.in_reply_to': { event_id: eventId } });
      assert.ok(tokens.get(cfg.id), 'the sync token is kept');

      await service.signOut(cfg.id);
      assert.equal(service.account(cfg.id)?.status.state, 'signed_out');
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(tokens.get(cfg.id), undefined, 'sign-out forgets the sync position');
      await assert.rejects(service.sendText(cfg.id, roomId, 'nope'), (error: unknown) =>
        isMatrixChannelError(error, 'session_expired'),
      );
      await service.dispose();
    });
  });
