import type { BedInfo, DemoUser } from './bed.ts';
import { createClassicUser, createOAuthAccount } from './matrix.ts';

export const DEMO_PASSWORD = 'matrix-demo';

/** One user per homeserver for `npm start`: "demo" on the OAuth homeserver, "demo" on the classic one. */
export async function createDemoUsers(bed: BedInfo): Promise<{ delegated: DemoUser; classic: DemoUser }> {
  const [delegated, classic] = await Promise.all([
    createOAuthAccount(bed, { username: 'demo', password: DEMO_PASSWORD }),
    createClassicUser(bed, 'demo', DEMO_PASSWORD),
  ]);
  return {
    delegated: { username: 'demo', password: DEMO_PASSWORD, userId: delegated.userId },
    classic: { username: 'demo', password: DEMO_PASSWORD, userId: classic.userId },
  };
}
