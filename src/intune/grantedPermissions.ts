import type { TokenSource } from './credentials';

/**
 * The Graph permissions a token carries: application permissions (`roles`),
 * delegated scopes (`scp`), or 'opaque' when the token is not a readable JWT
 * (the loopback development token, an encrypted token).
 */
export interface GrantedPermissions {
  kind: 'roles' | 'scopes' | 'opaque';
  values: string[];
  /** The token's tenant (`tid`), when it says. */
  tenantId?: string;
}

const OPAQUE: GrantedPermissions = { kind: 'opaque', values: [] };

function decodePayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  // A signed JWT has three parts; five would be an encrypted one we cannot read.
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return payload && typeof payload === 'object' && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads `roles` / `scp` from a JWT payload. The signature is not checked: this is our own
 * token, read only to report what was granted, never to authorize anything.
 */
export function permissionsInToken(token: string): GrantedPermissions {
  const payload = decodePayload(token.trim().replace(/^Bearer\s+/i, ''));
  if (!payload) return OPAQUE;
  const tenantId = typeof payload.tid === 'string' && payload.tid ? payload.tid : undefined;
  const withTenant = (granted: GrantedPermissions): GrantedPermissions =>
    tenantId ? { ...granted, tenantId } : granted;
  if (typeof payload.scp === 'string') {
    return withTenant({ kind: 'scopes', values: payload.scp.split(/\s+/).filter(Boolean) });
  }
  const roles = Array.isArray(payload.roles)
    ? payload.roles.filter((r): r is string => typeof r === 'string' && r !== '')
    : [];
  // An application token without `roles` holds no application permission at all.
  return withTenant({ kind: 'roles', values: roles });
}

/** The permissions of the token `tokenSource` would send to Graph at `baseUrl`. */
export async function grantedPermissions(
  tokenSource: TokenSource,
  baseUrl: string,
): Promise<GrantedPermissions> {
  const token = await tokenSource.getToken(`${baseUrl.replace(/\/+$/, '')}/v1.0/`);
  return permissionsInToken(token);
}
