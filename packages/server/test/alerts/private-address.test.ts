// The outbound guard: which addresses a webhook may not reach unless OVERDUE_ALLOW_PRIVATE_TARGETS is set.
import { describe, expect, it } from 'vitest';
import { isPrivateAddress, sendHttp } from '../../src/alerts/outbound.js';

describe('isPrivateAddress', () => {
  const refused: Array<[string, string]> = [
    ['127.0.0.1', 'IPv4 loopback'],
    ['127.255.0.9', 'the rest of 127/8'],
    ['10.0.0.1', 'RFC 1918'],
    ['172.16.5.4', 'RFC 1918'],
    ['192.168.1.1', 'RFC 1918'],
    ['169.254.169.254', 'link-local: cloud metadata'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'this host'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'IPv6 loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex form (how URLs normalise it)'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['fd00::1', 'unique local'],
    ['fe80::1', 'IPv6 link-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['64:ff9b::a00:1', 'NAT64 of a private address'],
    ['not-an-ip', 'not an address at all'],
    ['::ffff:0:7f00:1', 'SIIT IPv4-translated loopback (::ffff:0:0:0/96)'],
    ['::ffff:0:a9fe:a9fe', 'SIIT IPv4-translated metadata'],
    ['64:ff9b:1::7f00:1', 'local-use NAT64 prefix 64:ff9b:1::/48'],
    ['64:ff9b:1:ab::1', 'anywhere in 64:ff9b:1::/48'],
  ];
  for (const [address, why] of refused) {
    it(`refuses ${address} (${why})`, () => expect(isPrivateAddress(address)).toBe(true));
  }

  for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
    it(`allows the public address ${address}`, () => expect(isPrivateAddress(address)).toBe(false));
  }
});

describe('sendHttp', () => {
  const options = { allowPrivate: false, timeoutMs: 2000 };
  for (const url of [
    'http://127.0.0.1:9/x',
    'http://[::1]:9/x',
    'http://[::ffff:127.0.0.1]:9/x',
    'http://localhost:9/x',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:0:127.0.0.1]:9/x',
    'http://[64:ff9b:1::7f00:1]:9/x',
  ]) {
    it(`refuses ${url} before connecting`, async () => {
      await expect(sendHttp(url, { body: '{}' }, options)).rejects.toThrow(/target refused/);
    });
  }

  it('refuses URLs that are not http(s)', async () => {
    await expect(sendHttp('file:///etc/passwd', {}, options)).rejects.toThrow(/unsupported URL scheme/);
    await expect(sendHttp('not a url', {}, options)).rejects.toThrow(/not a valid URL/);
  });
});
