import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currentBed } from '../../bed/current.ts';
import { createClassicUser, createDelegatedUser, MatrixApi, type MatrixUser } from '../../bed/matrix.ts';

const bed = currentBed();

interface MessagesPage {
  chunk: Array<{ type: string; sender: string; content: { body?: string } }>;
}

async function lastMessage(api: MatrixApi, roomId: string): Promise<{ sender: string; body?: string } | undefined> {
  const page = await api.request<MessagesPage>(
    'GET',
    `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=5`,
  );
  const event = page.chunk.find((e) => e.type === 'm.room.message');
  return event && { sender: event.sender, body: event.content.body };
}

async function roomRoundTrip(homeserver: string, alice: MatrixUser, bob: MatrixUser): Promise<void> {
  const aliceApi = new MatrixApi(homeserver, alice.accessToken);
  const bobApi = new MatrixApi(homeserver, bob.accessToken);
  const roomId = await aliceApi.createRoom({ name: 'helpers' });
  await aliceApi.invite(roomId, bob.userId);
  await bobApi.join(roomId);
  await bobApi.sendText(roomId, 'hello from bob');
  assert.deepEqual(await lastMessage(aliceApi, roomId), { sender: bob.userId, body: 'hello from bob' });
}

describe('bed: Matrix helpers', () => {
  it('classic homeserver: create users, a room, invite, join, and send as another user', async () => {
    const [alice, bob] = await Promise.all([createClassicUser(bed), createClassicUser(bed)]);
    assert.equal((await new MatrixApi(bed.classic.baseUrl, alice.accessToken).whoami()).user_id, alice.userId);
    await roomRoundTrip(bed.classic.baseUrl, alice, bob);
  });

  it('classic homeserver: the created user can log in with the password', async () => {
    const user = await createClassicUser(bed);
    const login = await new MatrixApi(bed.classic.baseUrl).request<{ user_id: string; device_id: string }>(
      'POST',
      '/_matrix/client/v3/login',
      {
        type: 'm.login.password',
        identifier: { type: 'm.id.user', user: user.userId },
        password: user.password,
        device_id: 'HELPERTEST1',
      },
    );
    assert.equal(login.user_id, user.userId);
    assert.equal(login.device_id, 'HELPERTEST1');
  });

  it('delegated homeserver: OAuth users do the same round trip', async () => {
    const [alice, bob] = await Promise.all([createDelegatedUser(bed), createDelegatedUser(bed)]);
    await roomRoundTrip(bed.delegated.baseUrl, alice, bob);
  });
});
