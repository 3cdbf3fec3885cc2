import { createHmac, randomUUID } from 'node:crypto';
import { secretMatches } from '../../secrets.js';
import { jwtVerify, SignJWT } from 'jose';
import type { AskerRole } from '../../knowledge/article.js';

/** What a Direct Line token vouches for: one conversation, one user, and the role the host page knows. */
export interface DirectLineGrant {
  conversationId: string;
  userId: string;
  userName?: string;
  role?: AskerRole;
}

/** A token as the Direct Line API hands it out. */
export interface IssuedToken {
  conversationId: string;
  token: string;
  expires_in: number;
}

const ISSUER = 'elbow';
const AUDIENCE = 'elbow/directline';
/** Keys are derived from the secrets, so a token never doubles as a way to test guesses of the secret itself. */
const KEY_LABEL = 'elbow direct line token v1';

/**
 * Issues and checks Direct Line tokens (JWT, HS256). Signed with the first site secret and accepted under any
 * of them, so a secret can be rotated by listing the new one first and dropping the old one a TTL later.
 * The `user` claim carries the user id because Web Chat and DirectLineJS read it from there.
 */
export class TokenIssuer {
  private readonly keys: Uint8Array[];
  private readonly secrets: string[];

  constructor(
    secrets: string[],
    private readonly ttlSeconds: number,
    private readonly now: () => Date,
  ) {
    this.keys = secrets.map((s) => new Uint8Array(createHmac('sha256', s).update(KEY_LABEL).digest()));
    this.secrets = [...secrets];
  }

  /** True when the presented site secret is one of the configured ones (constant-time). */
  secretMatches(presented: string): boolean {
    return this.secrets.some((secret) => secretMatches(secret, presented));
  }

  /** A fresh signed token for the grant, valid for the configured TTL. */
  async issue(grant: DirectLineGrant): Promise<IssuedToken> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const token = await new SignJWT({ conv: grant.conversationId, user: grant.userId, name: grant.userName, role: grant.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setJti(randomUUID())
      .setIssuedAt(nowSeconds)
      .setNotBefore(nowSeconds - 5)
      .setExpirationTime(nowSeconds + this.ttlSeconds)
      .sign(this.keys[0]);
    return { conversationId: grant.conversationId, token, expires_in: this.ttlSeconds };
  }

  /** The grant of a valid, unexpired token; undefined for anything else (bad signature, expired, malformed). */
  async verify(token: string): Promise<DirectLineGrant | undefined> {
    for (const key of this.keys) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, currentDate: this.now() });
        if (typeof payload.conv !== 'string' || typeof payload.user !== 'string') return undefined;
        return {
          conversationId: payload.conv,
          userId: payload.user,
          userName: typeof payload.name === 'string' ? payload.name : undefined,
          role: typeof payload.role === 'string' ? (payload.role as AskerRole) : undefined,
        };
      } catch {
        // Try the next key (rotation); a token no key accepts is refused below.
      }
    }
    return undefined;
  }
}
