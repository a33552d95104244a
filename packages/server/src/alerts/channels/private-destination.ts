// A channel pointed at this machine or a private network is flagged when it is saved, not only when it first
// sends: otherwise the mistake shows only at the first alert, which is the moment it must not fail.
import net from 'node:net';
import { isPrivateAddress } from '../outbound.js';
import type { ChannelKind } from './channel.js';

/** The host a destination setting names: a URL's host name, or the value itself (an SMTP host). */
function hostOf(value: string): string {
  try {
    return new URL(value).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return value;
  }
}

/** Whether a host is loopback or private without asking DNS: an address literal, or a localhost name. */
function isPrivateLiteral(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  return net.isIP(name) !== 0 && isPrivateAddress(name);
}

/**
 * Warnings for a config whose destination is a loopback or private address literal while private targets are not
 * allowed: sends to it will be refused. Names are resolved and checked at every send; this catches the plain mistake
 * when it is made. (Saved anyway: the same config is right once the operator allows private targets.)
 */
export function privateDestinationWarnings(kind: ChannelKind, config: Record<string, unknown>, allowPrivate: boolean): string[] {
  if (allowPrivate) return [];
  const warnings: string[] = [];
  for (const field of kind.destination) {
    const value = config[field];
    if (typeof value !== 'string' || value === '') continue;
    const host = hostOf(value);
    if (isPrivateLiteral(host)) {
      warnings.push(
        `config.${field}: ${host} is a loopback or private address; alerts to it will be refused until the server runs with OVERDUE_ALLOW_PRIVATE_TARGETS=true.`,
      );
    }
  }
  return warnings;
}
