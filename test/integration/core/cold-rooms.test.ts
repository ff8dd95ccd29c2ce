/**
 * Rooms a channel knows only from its first start ("cold": the SDK has none of their state) stay in the list
 * whatever the sync brings about them, and a first start repeated with the same access token delivers nothing
 * from before it, even where the homeserver answers a repeated /sync from a cache (Synapse does, for 2 minutes).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RoomSummary } from '../../../src/core/sync/room-list.ts';
import { MemorySyncStateStore } from '../../../src/core/sync/sync-state-store.ts';
import { configOn, HOMESERVERS, skipMissingHomeservers, liveChannel, sharedRoom, twoUsers } from './live-support.ts';

const suite = (server: string) => `core: rooms known only from the first start (${server})`;
skipMissingHomeservers(suite);
for (const hs of HOMESERVERS)
  describe(suite(hs.name), () => {
    it('stay listed, and stored, through our read receipt, someone typing, and a first message', async () => {
      const { me, other, mine, theirs } = await twoUsers(hs);
      const [read, typing, quiet] = await Promise.all(
        ['Read', 'Typing', 'Quiet'].map((name) => sharedRoom(theirs, mine, me.userId, { name })),
      );
      await theirs.sendText(read!, 'before the start');
      const store = new MemorySyncStateStore();
      const channelConfig = configOn(hs, { roomPolicy: 'open', mentionMode: 'always' });
      const channel = await liveChannel(me, channelConfig, store);
      const seen: Array<readonly RoomSummary[]> = [channel.sync.rooms()];
      channel.sync.onRooms((rooms) => seen.push(rooms));
      const names = (rooms: readonly RoomSummary[]) => rooms.map((room) => room.name).sort();
      assert.deepEqual(names(channel.sync.rooms()), ['Quiet', 'Read', 'Typing']);

      await channel.sync.markRead(read!);
      await theirs.request('PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(typing!)}/typing/${other.userId}`, {
        typing: true,
        timeout: 10_000,
      });
      await theirs.sendText(quiet!, 'first in here');
      await channel.until('first in here');
      // One more round trip, so the syncs that carried the receipt and the typing were surely applied.
      await theirs.sendText(read!, 'and one more');
      await channel.until('and one more');
      await channel.sync.idle();

      const shrunk = seen.filter((rooms) => rooms.length < 3).map(names);
      assert.deepEqual(shrunk, [], 'no room ever left the list');
      await channel.sync.stop();
      assert.deepEqual(names(store.getRooms(channelConfig.id) ?? []), ['Quiet', 'Read', 'Typing'], 'stored whole');
    });

    it('a first start repeated with the same token delivers nothing sent before it', async () => {
      const { me, mine, theirs } = await twoUsers(hs);
      const room = await sharedRoom(theirs, mine, me.userId, { name: 'Twice' });
      const channelConfig = configOn(hs, { roomPolicy: 'open', mentionMode: 'always' });
      const first = await liveChannel(me, channelConfig, new MemorySyncStateStore());
      await first.sync.stop();

      await theirs.sendText(room, 'between the starts');
      // A reload right after signing in: no sync token was stored, so it is a first start again.
      const second = await liveChannel(me, channelConfig, new MemorySyncStateStore());
      await theirs.sendText(room, 'after the second start');
      await second.until('after the second start');
      await second.sync.idle();
      assert.deepEqual(second.bodies(), ['after the second start']);
    });
  });
