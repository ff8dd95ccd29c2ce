/**
 * Which browser sign-in flows to try, and in what order: one pure function of where the editor runs, what the
 * server offers, the `signIn.flow` setting and whether the person asked for another way. Each flow declares
 * where it works and which grant it needs; the most convenient that fits comes first.
 */
import type { AuthMetadata } from '../../../discovery/types.ts';
import { l10n } from '../../../l10n.ts';
import { DEVICE_CODE_GRANT, supportsGrant } from '../client-identity.ts';
import type { FlowId, HostKind } from './flow.ts';

export interface FlowDeclaration {
  id: FlowId;
  /** A short name for "Try Another Way" choices, in the person's language (read when shown). */
  readonly label: string;
  /** Where the flow can finish: the loopback redirect needs a browser on the extension host's machine. */
  hosts: readonly HostKind[];
  grant: 'authorization_code' | 'device_code';
}

/** Every flow, most convenient first. */
export const FLOW_DECLARATIONS: readonly FlowDeclaration[] = Object.freeze([
  {
    id: 'loopback',
    get label() {
      return l10n.t('Browser (local redirect)');
    },
    hosts: ['local'],
    grant: 'authorization_code',
  },
  {
    id: 'uri_handler',
    get label() {
      return l10n.t('Browser (redirect to the editor)');
    },
    hosts: ['local', 'remote', 'web'],
    grant: 'authorization_code',
  },
  {
    id: 'device',
    get label() {
      return l10n.t('Code on another device');
    },
    hosts: ['local', 'remote', 'web'],
    grant: 'device_code',
  },
]);

/** The grants a server's metadata offers (a server not looked up yet: assume both). */
export interface ServerGrants {
  authorizationCode: boolean;
  deviceCode: boolean;
}

export const ANY_SERVER: ServerGrants = Object.freeze({ authorizationCode: true, deviceCode: true });

export function grantsOf(metadata: AuthMetadata): ServerGrants {
  return {
    authorizationCode: supportsGrant(metadata, 'authorization_code'),
    deviceCode: Boolean(metadata.device_authorization_endpoint) && supportsGrant(metadata, DEVICE_CODE_GRANT),
  };
}

export interface FlowQuery {
  host: HostKind;
  grants: ServerGrants;
  /** The `signIn.flow` setting: 'auto', or the one flow to use (when it fits; else as 'auto'). */
  setting: string;
  /** The person asked for another way: every flow that fits, whatever the setting. */
  anotherWay?: boolean;
}

/** The flows to try, in order; empty when none fits. */
export function getFlows(query: FlowQuery): FlowDeclaration[] {
  const fitting = FLOW_DECLARATIONS.filter(
    (flow) =>
      flow.hosts.includes(query.host) &&
      (flow.grant === 'device_code' ? query.grants.deviceCode : query.grants.authorizationCode),
  );
  if (query.anotherWay) return fitting;
  const chosen = fitting.filter((flow) => flow.id === query.setting);
  return chosen.length ? chosen : fitting;
}
