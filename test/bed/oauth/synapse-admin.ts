/**
 * What MAS does to the homeserver behind it: create users and devices through Synapse's admin API with the
 * shared admin token, and delete a device when its session ends.
 */
export interface HomeserverLink {
  /** Client-server API base URL of the delegated homeserver. */
  baseUrl: string;
  serverName: string;
  adminToken: string;
}

/** Synapse's constant for users linked to the delegated OAuth server (msc3861). */
const EXTERNAL_ID_PROVIDER = 'oauth-delegated';

export class SynapseAdmin {
  constructor(private readonly link: HomeserverLink) {}

  mxid(username: string): string {
    return `@${username}:${this.link.serverName}`;
  }

  async upsertUser(username: string, sub: string, displayName: string): Promise<void> {
    await this.call('PUT', `/_synapse/admin/v2/users/${encodeURIComponent(this.mxid(username))}`, {
      displayname: displayName,
      external_ids: [{ auth_provider: EXTERNAL_ID_PROVIDER, external_id: sub }],
    });
  }

  async upsertDevice(username: string, deviceId: string): Promise<void> {
    await this.call('POST', `/_synapse/admin/v2/users/${encodeURIComponent(this.mxid(username))}/devices`, {
      device_id: deviceId,
    });
  }

  async deleteDevice(username: string, deviceId: string): Promise<void> {
    const path = `/_synapse/admin/v2/users/${encodeURIComponent(this.mxid(username))}/devices/${encodeURIComponent(deviceId)}`;
    await this.call('DELETE', path);
  }

  private async call(method: string, path: string, body?: unknown): Promise<void> {
    const response = await fetch(new URL(path, this.link.baseUrl), {
      method,
      headers: { authorization: `Bearer ${this.link.adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok && response.status !== 404) {
      throw new Error(`Synapse admin ${method} ${path} answered ${response.status}: ${await response.text()}`);
    }
  }
}
