// How fast passwords may be guessed: per (account, client network) and per client network, so that wrong
// passwords sent from one place never lock the account's owner out from another.
import net from 'node:net';
import { OverdueError } from '../errors.js';
import { RateLimiter } from '../rate-limiter.js';

/**
 * The client's network as a limiter key: an IPv4 address as is, an IPv6 address by its /64 (one host usually
 * holds a whole /64, so counting single IPv6 addresses would let it rotate through them).
 */
export function networkOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!net.isIPv6(ip)) return ip;
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}

export class SignInLimits {
  // Per account and network: a burst of 10 tries, then one every 6 seconds. Per network (which may be a whole
  // office behind one NAT), over every account: a burst of 50, then one a second.
  private readonly perAccount = new RateLimiter(1 / 6, 10, 50_000);
  private readonly perNetwork = new RateLimiter(1, 50, 50_000);

  /** Takes one attempt for `email` from `ip`; throws 429 with Retry-After when either bucket is empty. */
  attempt(email: string, ip: string, now: number): void {
    const network = networkOf(ip);
    refuseUnless(this.perNetwork.take(network, now));
    refuseUnless(this.perAccount.take(`${email}\n${network}`, now));
  }

  /** Takes one attempt of something a client may not repeat quickly (first-run setup, invitations). */
  other(what: string, ip: string, now: number): void {
    refuseUnless(this.perNetwork.take(`${what}\n${networkOf(ip)}`, now));
  }
}

function refuseUnless(decision: { allowed: boolean; retryAfterS: number }): void {
  if (!decision.allowed) {
    throw new OverdueError(429, 'too_many_attempts', `Too many sign-in attempts; wait ${decision.retryAfterS} seconds and try again.`, {
      'retry-after': String(decision.retryAfterS),
    });
  }
}
