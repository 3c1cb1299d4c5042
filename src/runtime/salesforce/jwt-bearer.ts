// Signs the RS256 JWT assertion of Salesforce's OAuth 2.0 JWT bearer flow with node:crypto (jsforce does not sign).
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';

export interface JwtBearerClaims {
  /** Connected app consumer key (`iss`). */
  readonly clientId: string;
  /** Salesforce username (`sub`). */
  readonly username: string;
  /** `aud`: `https://login.salesforce.com`, `https://test.salesforce.com` or an Experience Cloud site URL. */
  readonly audience: string;
  /** PEM (PKCS#8 or PKCS#1) RSA private key, or a KeyObject. */
  readonly privateKey: string | KeyObject;
  /** Clock. @default Date.now */
  readonly now?: () => number;
  /** Assertion lifetime; Salesforce accepts at most 3 minutes. @default 180 */
  readonly lifetimeSeconds?: number;
}

/** Returns a compact JWS (`header.claims.signature`) to send as `assertion` with the jwt-bearer grant. */
export function signJwtBearerAssertion(claims: JwtBearerClaims): string {
  const nowSeconds = Math.floor((claims.now ?? Date.now)() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'RS256', typ: 'JWT' });
  const payload = encode({
    iss: claims.clientId,
    sub: claims.username,
    aud: claims.audience,
    exp: nowSeconds + Math.min(claims.lifetimeSeconds ?? 180, 180),
  });
  const key = typeof claims.privateKey === 'string' ? createPrivateKey(claims.privateKey) : claims.privateKey;
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key).toString('base64url');
  return `${header}.${payload}.${signature}`;
}
