import { createHash } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { writeFileAtomic } from '../engine/atomic-write.js';
import { stateDir } from '../engine/paths.js';

/** Refresh this long before expiry, so a step never starts with credentials about to lapse. */
const EARLY_REFRESH_MS = 5 * 60 * 1000;

/**
 * Temporary role credentials, cached in a 0600 file until they expire, so an MFA profile asks for a
 * code once an hour rather than on every run (the JS SDK does not read the AWS CLI's cache).
 */
export class SessionCache {
  private readonly path: string;
  constructor(profile: string, roleArn: string, mfaSerial: string, env: NodeJS.ProcessEnv = process.env) {
    const key = createHash('sha256').update(`${profile}\n${roleArn}\n${mfaSerial}`).digest('hex').slice(0, 24);
    this.path = join(stateDir(env), 'sessions', `${key}.json`);
  }

  read(now = Date.now()): AwsCredentialIdentity | undefined {
    try {
      const stored = JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, string>;
      const expiration = stored.expiration ? new Date(stored.expiration) : undefined;
      if (!stored.accessKeyId || !stored.secretAccessKey || !expiration || expiration.getTime() - EARLY_REFRESH_MS <= now) return undefined;
      return { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey, sessionToken: stored.sessionToken, expiration };
    } catch {
      return undefined;
    }
  }

  write(credentials: AwsCredentialIdentity): void {
    const { accessKeyId, secretAccessKey, sessionToken, expiration } = credentials;
    writeFileAtomic(this.path, JSON.stringify({ accessKeyId, secretAccessKey, sessionToken, expiration: expiration?.toISOString() }), 0o600);
  }

  clear(): void {
    try {
      unlinkSync(this.path);
    } catch {
      // Nothing cached.
    }
  }
}

export function isFresh(credentials: AwsCredentialIdentity, now = Date.now()): boolean {
  return !credentials.expiration || credentials.expiration.getTime() - EARLY_REFRESH_MS > now;
}
