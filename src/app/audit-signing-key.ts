import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file the embedded store keeps its generated key in (mode 0600), when FAIRDESK_AUDIT_KEY is not set. */
export const AUDIT_KEY_FILE = 'audit-signing-key.pem';

/** An Ed25519 key that signs audit checkpoints, named by the fingerprint of its public half. */
export interface AuditSigningKey {
  keyId: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
}

/** A public key that checkpoint signatures are checked against. */
export interface AuditPublicKey {
  keyId: string;
  publicKey: KeyObject;
}

/** `ed25519:` and the first 128 bits of sha256 over the public key's SubjectPublicKeyInfo. */
export function auditKeyId(publicKey: KeyObject): string {
  return `ed25519:${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 32)}`;
}

function fromPrivatePem(pem: string, source: string): AuditSigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new Error(`${source}: not a PEM private key (${error instanceof Error ? error.message : String(error)})`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${source}: the audit signing key must be Ed25519, not ${privateKey.asymmetricKeyType ?? 'unknown'}`);
  const publicKey = createPublicKey(privateKey);
  return { keyId: auditKeyId(publicKey), privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** Reads a PEM public key (from an exported checkpoints file) and names it. */
export function parseAuditPublicKey(pem: string): AuditPublicKey {
  const publicKey = createPublicKey(pem);
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error(`an audit public key must be Ed25519, not ${publicKey.asymmetricKeyType ?? 'unknown'}`);
  return { keyId: auditKeyId(publicKey), publicKey };
}

/**
 * The checkpoint signing key: FAIRDESK_AUDIT_KEY (a PEM private key) when set — the way to go on
 * PostgreSQL, where every server must share one key — else `DATA/audit-signing-key.pem`, generated
 * on first use when `create` is set. Returns null when there is no key and none may be made.
 */
export function loadAuditSigningKey(options: { dataDir: string; env: NodeJS.ProcessEnv; create: boolean }): AuditSigningKey | null {
  const fromEnv = options.env.FAIRDESK_AUDIT_KEY;
  if (fromEnv && fromEnv.trim() !== '') return fromPrivatePem(fromEnv, 'FAIRDESK_AUDIT_KEY');
  const file = join(options.dataDir, AUDIT_KEY_FILE);
  const existing = readIfExists(file);
  if (existing !== null) return fromPrivatePem(existing, file);
  if (!options.create) return null;
  mkdirSync(options.dataDir, { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    // 'wx': two processes creating it at once must not overwrite each other's key.
    writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return fromPrivatePem(readFileSync(file, 'utf8'), file);
  }
  return fromPrivatePem(pem, file);
}

function readIfExists(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Ed25519 signature of a message, base64. */
export function signMessage(key: AuditSigningKey, message: string): string {
  return sign(null, Buffer.from(message, 'utf8'), key.privateKey).toString('base64');
}

/** Whether a base64 Ed25519 signature of the message is valid under the key. */
export function verifyMessage(key: AuditPublicKey, message: string, signature: string): boolean {
  try {
    return verify(null, Buffer.from(message, 'utf8'), key.publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
