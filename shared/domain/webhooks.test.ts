// The SSRF rules of webhooks as a table of addresses and URLs, the delivery id and the secret's format.
import { describe, expect, it } from 'vitest';
import { deliveryIdFor, deliveryIdPattern, newSubscriptionSecret, refusedAddressRange, retryDelaySeconds, subscriptionUrlProblem } from './webhooks.ts';

describe('the addresses a delivery may connect to', () => {
  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.10', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.8.8.8', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.100.100.200', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:a00:1::', '6to4'],
    ['not-an-address', 'invalid'],
  ])('refuses %s (%s)', (address, range) => {
    expect(refusedAddressRange(address)).toBe(range);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('accepts the public address %s', (address) => {
    expect(refusedAddressRange(address)).toBeUndefined();
  });

  it('lets the local stage reach the loopback, and nothing else private', () => {
    expect(refusedAddressRange('127.0.0.1', true)).toBeUndefined();
    expect(refusedAddressRange('::1', true)).toBeUndefined();
    expect(refusedAddressRange('10.0.0.1', true)).toBe('private');
    expect(refusedAddressRange('169.254.169.254', true)).toBe('linkLocal');
  });
});

describe('the URL of a subscription', () => {
  it.each([
    ['http://hooks.school.example/werkplek', 'url-not-https'],
    ['ftp://hooks.school.example/', 'url-not-https'],
    ['not a url', 'url-not-https'],
    ['https://user:pw@hooks.school.example/', 'url-credentials'],
    ['https://127.0.0.1/hook', 'url-not-public'],
    ['https://2130706433/hook', 'url-not-public'],
    ['https://0x7f.1/hook', 'url-not-public'],
    ['https://[::1]/hook', 'url-not-public'],
    ['https://[::ffff:7f00:1]/hook', 'url-not-public'],
    ['https://169.254.169.254/latest/meta-data', 'url-not-public'],
    ['https://[fd00:ec2::254]/', 'url-not-public'],
    ['https://10.0.0.5/hook', 'url-not-public'],
    ['https://localhost/hook', 'url-not-public'],
    ['https://intranet/hook', 'url-not-public'],
    ['https://printer.local/hook', 'url-not-public'],
    ['https://metadata.google.internal/', 'url-not-public'],
  ])('refuses %s (%s) in a deployed stage', (url, code) => {
    expect(subscriptionUrlProblem(url, false)?.code).toBe(code);
  });

  it('accepts https to a public name or address', () => {
    expect(subscriptionUrlProblem('https://hooks.school.example/werkplek?x=1', false)).toBeUndefined();
    expect(subscriptionUrlProblem('https://93.184.215.14/hook', false)).toBeUndefined();
  });

  it('lets the local stage use http to localhost and 127.0.0.1 only', () => {
    expect(subscriptionUrlProblem('http://localhost:4000/hook', true)).toBeUndefined();
    expect(subscriptionUrlProblem('http://127.0.0.1:4000/hook', true)).toBeUndefined();
    expect(subscriptionUrlProblem('http://localhost:4000/hook', false)?.code).toBe('url-not-https');
    expect(subscriptionUrlProblem('http://hooks.school.example/', true)?.code).toBe('url-not-https');
    expect(subscriptionUrlProblem('https://10.0.0.5/', true)?.code).toBe('url-not-public');
  });
});

describe('deliveries', () => {
  it('gives the same event for the same subscription one id, another event or subscription another', () => {
    const id = deliveryIdFor('01SUB', 'event-1');
    expect(id).toMatch(deliveryIdPattern);
    expect(deliveryIdFor('01SUB', 'event-1')).toBe(id);
    expect(deliveryIdFor('01SUB', 'event-2')).not.toBe(id);
    expect(deliveryIdFor('01OTHER', 'event-1')).not.toBe(id);
  });

  it('makes a Standard Webhooks secret of 32 random bytes', () => {
    const secret = newSubscriptionSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(newSubscriptionSecret()).not.toBe(secret);
  });

  it('retries on the schedule, then stops', () => {
    expect([0, 1, 2].map((r) => retryDelaySeconds(r, [60, 300]))).toEqual([60, 300, undefined]);
  });
});
