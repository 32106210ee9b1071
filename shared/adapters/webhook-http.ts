// The one way a webhook leaves the system: a POST to the subscriber's URL that connects only to an address it has
// checked. The host name is resolved here, every address it resolves to is checked (shared/domain/webhooks.ts), and
// the socket connects to the checked address itself (node's `lookup` hook), so a name that resolves to a public
// address for the check and to 169.254.169.254 for the connection (DNS rebinding) cannot get through. TLS still
// verifies the certificate against the host name. Redirects are not followed: a 3xx is a failed attempt.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { refusedAddressRange } from '../domain/webhooks.ts';

export class AddressRefusedError extends Error {
  override name = 'AddressRefusedError';
}

export type PostOutcome =
  | { ok: true; status: number; durationMs: number }
  | { ok: false; status: number | null; error: 'address-refused' | 'dns-failed' | 'timeout' | 'connection-failed' | null; durationMs: number };

/** Resolves a host name to the addresses it has now; every one of them must be allowed, or none is used. */
export async function resolveCheckedAddress(hostname: string, allowLoopback: boolean): Promise<LookupAddress> {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(host)) {
    const refused = refusedAddressRange(host, allowLoopback);
    if (refused) throw new AddressRefusedError(`${host} is ${refused}`);
    return { address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 };
  }
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (error, found) => (error ? reject(error) : resolve(found))),
  );
  if (addresses.length === 0) throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' });
  const refused = addresses.find((a) => refusedAddressRange(a.address, allowLoopback) !== undefined);
  if (refused) throw new AddressRefusedError(`${host} resolves to ${refused.address}`);
  return addresses[0]!;
}

/** A `lookup` for http.request that answers only with the address resolveCheckedAddress allowed. */
function checkedLookup(allowLoopback: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolveCheckedAddress(hostname, allowLoopback).then(
      (address) => {
        if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [address]);
        else callback(null, address.address, address.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/** POSTs a JSON body; never throws for what the receiver or the network does, only answers how it went. */
export async function postWebhook(input: {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowLoopback: boolean;
}): Promise<PostOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(input.url);
  const client = url.protocol === 'https:' ? https : http;
  // An address literal never reaches `lookup`: it is checked here, before connecting.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (ipaddr.isValid(literal) && refusedAddressRange(literal, input.allowLoopback) !== undefined)
    return { ok: false, status: null, error: 'address-refused', durationMs: elapsed() };
  try {
    const status = await new Promise<number>((resolve, reject) => {
      const request = client.request(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(input.body), ...input.headers },
          lookup: checkedLookup(input.allowLoopback),
          signal: AbortSignal.timeout(input.timeoutMs),
          // A fresh connection per attempt: a pooled socket would skip the address check.
          agent: false,
        },
        (response) => {
          // The answer's body is not needed: read and drop it so the socket closes.
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(input.body);
    });
    if (status >= 200 && status < 300) return { ok: true, status, durationMs: elapsed() };
    return { ok: false, status, error: null, durationMs: elapsed() };
  } catch (error) {
    return { ok: false, status: null, error: failureOf(error), durationMs: elapsed() };
  }
}

function failureOf(error: unknown): 'address-refused' | 'dns-failed' | 'timeout' | 'connection-failed' {
  if (error instanceof AddressRefusedError) return 'address-refused';
  const { name, code } = error as { name?: string; code?: string };
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'ABORT_ERR') return 'timeout';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') return 'dns-failed';
  return 'connection-failed';
}
