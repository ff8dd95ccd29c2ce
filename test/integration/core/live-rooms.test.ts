import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { RoomSummary } from '../../../src/core/sync/room-list.ts';
import { MemorySyncStateStore } from '../../../src/core/sync/sync-state-store.ts';
import {
  configOn,
  HOMESERVERS,
  skipMissingHomeservers,
  liveChannel,
  sharedRoom,
  twoUsers,
  waitFor,
} from './live-support.ts';

const byName = (rooms: readonly RoomSummary[], name: string) => rooms.find((room) => room.name === name);

const suite = (server: string) => `core: live channel rooms (${server})`;
skipMissingHomeservers(suite);
for (const hs of HOMESERVERS)
  describe(suite(hs.name), () => {
    it("lists joined rooms with the server's unread and mention counts; Mark as Read clears them at the server; a restart keeps the list", async () => {
      const { me, mine, theirs } = await twoUsers(hs);
      const dev = await sharedRoom(theirs, mine, me.userId, { name: 'Dev' });
      const ops = await sharedRoom(theirs, mine, me.userId, { name: 'Ops' });
      await sharedRoom(theirs, mine, me.userId, { name: 'Secret', encrypted: true });
      const store = new MemorySyncStateStore();
      const channelConfig = configOn(hs, { roomPolicy: 'open', mentionMode: 'always' });
      const channel = await liveChannel(me, channelConfig, store);
      const changes: Array<readonly RoomSummary[]> = [];
      channel.sync.onRooms((rooms) => changes.push(rooms));

      // A room joined a moment before the first start may come with the next response rather than the first
      // (Dendrite's sync position can trail its last join).
      const initial = await waitFor('the three rooms', () => {
        const rooms = channel.sync.rooms();
        return rooms.length >= 3 ? rooms : undefined;
      });
      assert.deepEqual(initial.map((room) => [room.name, room.encrypted, room.isDirect]).sort(), [
        ['Dev', false, false],
        ['Ops', false, false],
        ['Secret', true, false],
      ]);

      await theirs.sendText(dev, 'one');
      await theirs.sendText(dev, 'two');
      await theirs.sendText(ops, 'look here', { 'm.mentions': { user_ids: [me.userId] } });
      await channel.until('look here');
      if (hs.exactCounts) {
        const counted = await waitFor('the unread counts', () => {
          const rooms = channel.sync.rooms();
          return byName(rooms, 'Dev')?.unread === 2 && byName(rooms, 'Ops')?.mentions === 1 ? rooms : undefined;
        });
        assert.equal(counted[0]?.name, 'Ops', 'a room that mentions us comes first');
        assert.ok(changes.length > 0, 'onRooms fired');
      }

      await channel.sync.markRead(dev);
      assert.equal(byName(channel.sync.rooms(), 'Dev')?.unread, 0, 'zero at once');
      // The server agrees: its notification list marks Dev's as read, Ops' not.
      type Notifications = { notifications: Array<{ room_id: string; read: boolean; event: { type: string } }> };
      if (hs.exactCounts)
        await waitFor('the server to see Dev read', async () => {
          const { notifications } = await mine.request<Notifications>('GET', '/_matrix/client/v3/notifications');
          const readIn = (room: string) =>
            notifications.filter((n) => n.room_id === room && n.event.type === 'm.room.message').map((n) => n.read);
          return JSON.stringify(readIn(dev)) === '[true,true]' && JSON.stringify(readIn(ops)) === '[false]';
        });

      // Restart from the stored token: the resumed sync mentions no room, yet the list is whole.
      await channel.sync.stop();
      assert.equal(store.getRooms(channelConfig.id)?.length, 3, 'the list was stored with the token');
      const resumed = await liveChannel(me, channelConfig, store);
      assert.ok(resumed.syncUrls[0]?.includes('since='), 'resumed, not an initial sync');
      assert.deepEqual(
        resumed.sync
          .rooms()
          .map((room) => room.name)
          .sort(),
        ['Dev', 'Ops', 'Secret'],
      );
      if (hs.exactCounts) assert.equal(byName(resumed.sync.rooms(), 'Ops')?.mentions, 1);

      // Leaving a room takes it off the list.
      await mine.request('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(ops)}/leave`, {});
      await waitFor('Ops gone', () => !byName(resumed.sync.rooms(), 'Ops'));
      await resumed.sync.stop();
    });

    it('a first start reads the list from one small /sync (names, DMs, encryption, counts), handles a pending invite and delivers no history', async () => {
      const { me, other, mine, theirs } = await twoUsers(hs);
      const named = await sharedRoom(theirs, mine, me.userId, { name: 'Named' });
      const secret = await sharedRoom(theirs, mine, me.userId, { name: 'Secret', encrypted: true });
      const aliasName = `alias-${randomBytes(3).toString('hex')}`;
      const { room_id: aliased } = await theirs.request<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', {
        preset: 'private_chat',
        room_alias_name: aliasName,
        invite: [me.userId],
      });
      await mine.join(aliased);
      const dm = await theirs.createRoom({ invite: [me.userId], isDirect: true });
      await mine.join(dm);
      await mine.request('PUT', `/_matrix/client/v3/user/${encodeURIComponent(me.userId)}/account_data/m.direct`, {
        [other.userId]: [dm],
      });
      await theirs.sendText(named, 'history');
      await theirs.sendText(named, 'history that mentions me', { 'm.mentions': { user_ids: [me.userId] } });
      const pending = await theirs.createRoom({ name: 'Pending', invite: [me.userId] });

      const store = new MemorySyncStateStore();
      const channelConfig = configOn(hs, {
        roomPolicy: 'open',
        dmPolicy: 'open',
        mentionMode: 'always',
        autoJoin: 'off',
      });
      const channel = await liveChannel(me, channelConfig, store);
      const bootstrap = new URL(channel.syncUrls[0]!);
      assert.equal(bootstrap.searchParams.get('since'), null);
      assert.ok(Number(bootstrap.searchParams.get('timeout')) < 1000, 'answered at once');
      assert.equal(
        (JSON.parse(bootstrap.searchParams.get('filter')!) as { room: { timeline: { limit: number } } }).room.timeline
          .limit,
        0,
      );
      const facts = (rooms: readonly RoomSummary[]) =>
        Object.fromEntries(
          rooms.map((room) => [
            room.roomId,
            [room.name, room.isDirect, room.encrypted, ...(hs.exactCounts ? [room.unread, room.mentions] : [])],
          ]),
        );
      const counts = (unread: number, mentions: number) => (hs.exactCounts ? [unread, mentions] : []);
      const localpart = other.userId.slice(1, other.userId.indexOf(':'));
      assert.deepEqual(facts(channel.sync.rooms()), {
        [named]: ['Named', false, false, ...counts(2, 1)],
        [secret]: ['Secret', false, true, ...counts(0, 0)],
        [aliased]: [`#${aliasName}:${hs.serverName}`, false, false, ...counts(0, 0)],
        [dm]: [localpart, true, false, ...counts(0, 0)],
      });
      const invite = await waitFor('the pending invite', () => channel.invites.find((i) => i.roomId === pending));
      assert.deepEqual([invite.joined, invite.inviter, invite.roomName], [false, other.userId, 'Pending']);
      // The list is stored with the token; the SDK goes on from the bootstrap's token.
      await waitFor('the token stored', () => store.get(channelConfig.id));
      assert.equal(store.getRooms(channelConfig.id)?.length, 4);
      await waitFor('an incremental sync', () => channel.syncUrls.slice(1).some((url) => url.includes('since=')));
      assert.equal(
        channel.syncUrls.slice(1).some((url) => !url.includes('since=')),
        false,
        'no initial sync through the SDK',
      );

      await theirs.sendText(named, 'new');
      const message = await channel.until('new');
      assert.equal(message.roomName, 'Named', "the cold room's facts were read");
      if (hs.exactCounts) {
        await waitFor(
          'the new unread count',
          () => channel.sync.rooms().find((room) => room.roomId === named)?.unread === 3,
        );
      }
      await channel.sync.idle();
      assert.deepEqual(channel.bodies(), ['new'], 'no history');
      assert.equal(
        channel.sync.rooms().find((room) => room.roomId === aliased)?.alias,
        `#${aliasName}:${hs.serverName}`,
      );

      // Renamed and given an alias after the first start, whose state the SDK never had: the list follows.
      const renamedAlias = `#renamed-${randomBytes(3).toString('hex')}:${hs.serverName}`;
      const stateOf = (type: string) => `/_matrix/client/v3/rooms/${encodeURIComponent(named)}/state/${type}`;
      await theirs.request('PUT', `/_matrix/client/v3/directory/room/${encodeURIComponent(renamedAlias)}`, {
        room_id: named,
      });
      await theirs.request('PUT', stateOf('m.room.name'), { name: 'Renamed' });
      await theirs.request('PUT', stateOf('m.room.canonical_alias'), { alias: renamedAlias });
      await waitFor('the new name and alias in the list', () => {
        const room = channel.sync.rooms().find((candidate) => candidate.roomId === named);
        return room?.name === 'Renamed' && room.alias === renamedAlias ? room : undefined;
      });
      await channel.sync.stop();
    });

    it('sends formatted text (a code block) with its HTML twin', async () => {
      const { me, mine, theirs } = await twoUsers(hs);
      const roomId = await sharedRoom(theirs, mine, me.userId, { name: 'Code' });
      const channel = await liveChannel(me, configOn(hs));
      const { eventId } = await channel.sync.sendText(roomId, '```ts\nlet a = 1;\n```', {
        html: '<pre><code class="language-ts">let a = 1;\n</code></pre>',
      });
      const sent = await theirs.request<{ content: Record<string, unknown> }>(
        'GET',
        `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/event/${encodeURIComponent(eventId)}`,
      );
      assert.deepEqual(sent.content, {
        msgtype: 'm.text',
        body: '```ts\nlet a = 1;\n```',
        format: 'org.matrix.custom.html',
        formatted_body: '<pre><code class="language-ts">let a = 1;\n</code></pre>',
      });
      await channel.sync.stop();
    });
  });
