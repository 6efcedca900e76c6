import { createHash, randomBytes } from 'node:crypto';

/**
 * A new API token: 32 random bytes, shown once. Only its SHA-256 is stored — a fast hash is right
 * here because the token has 256 bits of entropy (slow hashes are for passwords).
 */
export function generateToken(): { token: string; hash: string } {
  const token = `fd_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
