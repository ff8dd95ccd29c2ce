import { randomBytes } from 'node:crypto';

export interface Account {
  sub: string;
  username: string;
  password: string;
  displayName: string;
  /** Overrides the server's access-token lifetime for this user's tokens (seconds). */
  accessTokenTtl?: number;
}

export interface NewAccount {
  username: string;
  password: string;
  displayName?: string;
  accessTokenTtl?: number;
}

const USERNAME = /^[a-z0-9._=/+-]{1,64}$/;

/** The OAuth server's user directory (in memory, like a fresh MAS database). */
export class AccountStore {
  private readonly byUsername = new Map<string, Account>();
  private readonly bySub = new Map<string, Account>();

  add(input: NewAccount): Account {
    if (!USERNAME.test(input.username)) throw new Error(`invalid username ${JSON.stringify(input.username)}`);
    if (this.byUsername.has(input.username)) throw new Error(`user ${input.username} already exists`);
    const account: Account = {
      sub: `01${randomBytes(12).toString('hex').toUpperCase()}`,
      username: input.username,
      password: input.password,
      displayName: input.displayName ?? input.username,
      ...(input.accessTokenTtl ? { accessTokenTtl: input.accessTokenTtl } : {}),
    };
    this.byUsername.set(account.username, account);
    this.bySub.set(account.sub, account);
    return account;
  }

  bySubject(sub: string): Account | undefined {
    return this.bySub.get(sub);
  }

  byName(username: string): Account | undefined {
    return this.byUsername.get(username);
  }

  /** Username/password check; the comparison does not short-circuit on the first differing byte. */
  verify(username: string, password: string): Account | undefined {
    const account = this.byUsername.get(username);
    if (!account) return undefined;
    const a = Buffer.from(account.password);
    const b = Buffer.from(password);
    return a.length === b.length && a.equals(b) ? account : undefined;
  }
}
