// Makes a throw-away self-signed TLS certificate for 127.0.0.1 with node:crypto alone, so HTTPS stand-ins need no
// openssl binary, no committed key and no extra package.
//
// node:crypto can generate keys and sign, but it has no API that builds an X.509 certificate (X509Certificate only
// parses). A certificate is a small DER structure, so we assemble the few ASN.1 types it needs here and let
// node:crypto sign it; `new X509Certificate(pem)` and a real TLS handshake in the tests check the result.
import { X509Certificate, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

/** A private key and its self-signed certificate, both PEM. */
export interface SelfSignedCertificate {
  /** PKCS#8 PEM private key (EC P-256). */
  readonly keyPem: string;
  /** PEM certificate for `127.0.0.1` and `localhost`; pass it as `ca` to a client that should trust the server. */
  readonly certPem: string;
}

export interface SelfSignedCertificateOptions {
  /** Common name of subject and issuer. @default '127.0.0.1' */
  readonly commonName?: string;
  /** How long it stays valid. @default 7 days */
  readonly validForMs?: number;
  /** Clock. @default Date.now */
  readonly now?: () => number;
}

/** Generates an EC P-256 key and a self-signed X.509 v3 server certificate for 127.0.0.1 / localhost. */
export function createSelfSignedCertificate(options: SelfSignedCertificateOptions = {}): SelfSignedCertificate {
  const now = (options.now ?? Date.now)();
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = seq(set(seq(oid('2.5.4.3'), utf8(options.commonName ?? '127.0.0.1'))));
  const ecdsaWithSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const serial = randomBytes(16);
  serial[0] &= 0x7f; // a positive INTEGER
  serial[0] |= 0x01; // and no leading zero byte, which DER forbids
  const subjectAltName = seq(
    tlv(0x87, Buffer.from([127, 0, 0, 1])), // iPAddress
    tlv(0x82, Buffer.from('localhost', 'ascii')), // dNSName
  );
  const extensions = seq(
    seq(oid('2.5.29.17'), octets(subjectAltName)),
    // CA:TRUE lets the one certificate act as its own trust anchor when a client passes it as `ca`.
    seq(oid('2.5.29.19'), bool(true), octets(seq(bool(true)))),
  );
  const tbs = seq(
    tlv(0xa0, int(Buffer.from([2]))), // version v3
    int(serial),
    ecdsaWithSha256,
    name,
    seq(utcTime(new Date(now - 60 * 60 * 1000)), utcTime(new Date(now + (options.validForMs ?? 7 * 24 * 3600 * 1000)))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey); // DER-encoded ECDSA signature
  const der = seq(tbs, ecdsaWithSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const certPem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  new X509Certificate(certPem); // fails loudly here, not in a TLS handshake, if the encoding were wrong
  return { keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, certPem };
}

function tlv(tag: number, value: Buffer): Buffer {
  const len = value.length;
  let header: Buffer;
  if (len < 0x80) header = Buffer.from([tag, len]);
  else if (len < 0x100) header = Buffer.from([tag, 0x81, len]);
  else header = Buffer.from([tag, 0x82, len >> 8, len & 0xff]);
  return Buffer.concat([header, value]);
}
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const int = (bytes: Buffer) => tlv(0x02, bytes);
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (v: Buffer) => tlv(0x04, v);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes = [parts[0] * 40 + parts[1]];
  for (const part of parts.slice(2)) {
    const chunk = [part & 0x7f];
    for (let v = part >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(d: Date): Buffer {
  const two = (n: number) => String(n).padStart(2, '0');
  const s = `${two(d.getUTCFullYear() % 100)}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}`
    + `${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(s, 'ascii'));
}
