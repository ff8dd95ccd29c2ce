/**
 * The Matrix scope grammar MAS enforces (MSC2967): an API scope and at most one device scope, all in the
 * stable form or all in the unstable one.
 */
export const MATRIX_RESOURCE = 'urn:matrix:homeserver';

const FORMS = {
  stable: { api: 'urn:matrix:client:api:*', devicePrefix: 'urn:matrix:client:device:' },
  unstable: {
    api: 'urn:matrix:org.matrix.msc2967.client:api:*',
    devicePrefix: 'urn:matrix:org.matrix.msc2967.client:device:',
  },
} as const;

export type ScopeForm = keyof typeof FORMS;

/** Device ids MAS accepts: at least 10 characters from the RFC 3986 "unreserved / sub-delims / : @ /" set. */
const DEVICE_ID = /^[A-Za-z0-9._~!$&'()*+,;=:@/-]{10,}$/;

export interface MatrixScope {
  /** The scopes that belong to the Matrix resource, in request order. */
  matrixScopes: string[];
  /** Everything else (openid, email, …). */
  otherScopes: string[];
  form?: ScopeForm;
  hasApi: boolean;
  deviceId?: string;
}

export class MatrixScopeError extends Error {}

/** Parses and validates a space-separated scope; throws MatrixScopeError with MAS-like wording. */
export function parseMatrixScope(scope: string): MatrixScope {
  const result: MatrixScope = { matrixScopes: [], otherScopes: [], hasApi: false };
  const forms = new Set<ScopeForm>();
  const deviceIds: string[] = [];
  for (const token of scope.split(' ').filter(Boolean)) {
    const match = matchForm(token);
    if (!match) {
      if (token.startsWith('urn:matrix:')) throw new MatrixScopeError(`unknown Matrix scope ${token}`);
      result.otherScopes.push(token);
      continue;
    }
    forms.add(match.form);
    result.matrixScopes.push(token);
    if (match.deviceId === undefined) result.hasApi = true;
    else deviceIds.push(match.deviceId);
  }
  if (forms.size > 1) throw new MatrixScopeError('stable and unstable Matrix scopes cannot be mixed');
  if (deviceIds.length > 1) throw new MatrixScopeError('only one device scope may be requested');
  const [deviceId] = deviceIds;
  if (deviceId !== undefined && !DEVICE_ID.test(deviceId)) {
    throw new MatrixScopeError('device id must be at least 10 characters of the allowed set');
  }
  const [form] = forms;
  if (form) result.form = form;
  if (deviceId !== undefined) result.deviceId = deviceId;
  return result;
}

function matchForm(token: string): { form: ScopeForm; deviceId?: string } | undefined {
  for (const form of Object.keys(FORMS) as ScopeForm[]) {
    const { api, devicePrefix } = FORMS[form];
    if (token === api) return { form };
    if (token.startsWith(devicePrefix)) return { form, deviceId: token.slice(devicePrefix.length) };
  }
  return undefined;
}

export function matrixScopeFor(form: ScopeForm, deviceId: string): string {
  return `${FORMS[form].api} ${FORMS[form].devicePrefix}${deviceId}`;
}
