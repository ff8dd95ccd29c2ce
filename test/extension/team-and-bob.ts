/** An account the pictures show: signed in as "Work", in a direct chat with Bob and in a room "Team". */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AccountView } from '../../src/core/account/account-service.ts';
import { createClassicUser, MatrixApi, type MatrixUser } from '../bed/matrix.ts';
import { bedInfo } from './harness.ts';
import { api, until, updateChannel } from './support.ts';

export interface TeamAndBob {
  me: MatrixUser;
  bob: MatrixUser;
  view: AccountView;
  /** The direct chat with Bob. */
  dm: string;
  team: string;
}

export async function signInWithTeamAndBob(): Promise<TeamAndBob> {
  const bed = bedInfo();
  const [me, bob] = await Promise.all([createClassicUser(bed), createClassicUser(bed)]);
  const theirs = new MatrixApi(bed.classic.baseUrl, bob.accessToken);
  const mine = new MatrixApi(bed.classic.baseUrl, me.accessToken);
  await theirs.request('PUT', `/_matrix/client/v3/profile/${encodeURIComponent(bob.userId)}/displayname`, {
    displayname: 'Bob',
  });
  const dm = await theirs.createRoom({ invite: [me.userId], isDirect: true });
  const team = await theirs.createRoom({ name: 'Team', invite: [me.userId] });
  await Promise.all([mine.join(dm), mine.join(team)]);
  // What a client that accepts a direct chat records: the room is a direct one with Bob.
  await mine.request('PUT', `/_matrix/client/v3/user/${encodeURIComponent(me.userId)}/account_data/m.direct`, {
    [bob.userId]: [dm],
  });
  const view = await vscode.commands.executeCommand<AccountView | undefined>('matrixChannels.signIn', {
    homeserver: bed.classic.baseUrl,
    userId: me.userId,
    password: me.password,
  });
  assert.ok(view);
  await updateChannel(view.id, { label: 'Work' });
  return { me, bob, view, dm, team };
}

/**
 * Bob mentions the account in Team and writes in the direct chat; resolves once both are counted (waiting on
 * the counts, not on the notification center: opening and closing the center while a notification arrives can
 * make the workbench list it twice).
 */
export async function bobWrites({ me, bob, view, dm, team }: TeamAndBob): Promise<void> {
  const theirs = new MatrixApi(bedInfo().classic.baseUrl, bob.accessToken);
  const roomsBefore = (await api()).rooms(view.id);
  const mentionsBefore = roomsBefore.find((room) => room.roomId === team)?.mentions ?? 0;
  const dmBefore = roomsBefore.find((room) => room.roomId === dm)?.unread ?? 0;
  await theirs.sendText(team, 'is the build green?', { 'm.mentions': { user_ids: [me.userId] } });
  await theirs.sendText(dm, 'lunch at 12?');
  await until('both messages counted', async () => {
    const rooms = (await api()).rooms(view.id);
    const teamRoom = rooms.find((room) => room.roomId === team);
    return (
      teamRoom &&
      teamRoom.mentions >= mentionsBefore + 1 &&
      (rooms.find((room) => room.roomId === dm)?.unread ?? 0) >= dmBefore + 1
    );
  });
}
