// The dev switch's one question — did this request provably come from this machine? — answered from the TCP peer under Node and from a build-time flag under wrangler dev, never from Host, the URL or forwarding headers alone.
//
// EDGESCALE_DEV_AUTH_DISABLED=true lets a request without credentials through only when the runtime's
// locality check says yes (SECURITY.md, "The dev switch"):
//   - Node (`edgescale serve`): the socket's remote address is loopback (127.0.0.0/8, ::1 or
//     ::ffff:127.x.y.z), AND Host names loopback literally, AND no forwarding header is present.
//   - workerd: the bundle was built by `npm start` (`wrangler dev --define __EDGESCALE_WRANGLER_DEV__:true`),
//     AND Host names loopback literally, AND no forwarding header says otherwise. A deployed worker is
//     built by `wrangler deploy`, which never sets the flag: no variable, secret, header or request can.
// Host and the forwarding headers can only ever turn auth back on: they are checked because a browser
// cannot forge Host (DNS rebinding) and a proxy that adds them relays someone else's request.
import type { Context } from 'hono';

/** Decides whether a request came from this machine; injected into createApp by the runtime's entry point. */
export type Locality = (c: Context) => boolean;

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const LOOPBACK_V4 = new RegExp(`^127\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/**
 * A socket address on loopback, in the canonical form Node reports (`socket.remoteAddress`):
 * 127.0.0.0/8, ::1, or IPv4-mapped ::ffff:127.x.y.z (dual-stack listeners). Anything else —
 * including names ("localhost") and the other spellings URL parsers accept (127.1, 2130706433,
 * 0x7f.1) — is not, since a real peer address never takes those forms.
 */
export function isLoopbackAddress(address: string | undefined | null): boolean {
  if (typeof address !== 'string') return false;
  const a = address.toLowerCase();
  if (a === '::1' || a === '0:0:0:0:0:0:0:1') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return LOOPBACK_V4.test(v4);
}

/** `Host` values a local client's own tools send to a loopback server: the literal names only, optional port. */
const LOCAL_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;

/** Headers that mean the request was relayed for someone else. Their presence keeps auth on; their values are never trusted. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip', 'via', 'true-client-ip', 'x-client-ip'] as const;

function hostIsLoopbackName(c: Context): boolean {
  return LOCAL_HOST.test(c.req.header('host') ?? '');
}

function relayed(c: Context): boolean {
  return FORWARDING_HEADERS.some((h) => c.req.header(h) !== undefined);
}

/**
 * Node: local when the TCP peer (from `peerOf`, which reads the socket of @hono/node-server's incoming
 * message) is loopback, Host names loopback and nothing says the request was relayed. CF-Connecting-IP
 * counts as relaying here: no Cloudflare edge sits in front of `edgescale serve`.
 */
export function nodePeerLocality(peerOf: (request: Request) => string | undefined): Locality {
  return (c) => isLoopbackAddress(peerOf(c.req.raw)) && hostIsLoopbackName(c) && !relayed(c) && c.req.header('cf-connecting-ip') === undefined;
}

declare const __EDGESCALE_WRANGLER_DEV__: boolean | undefined;

/**
 * True only in a bundle built by `npm start`, whose `wrangler dev` passes
 * `--define __EDGESCALE_WRANGLER_DEV__:true`. esbuild replaces the identifier at build time; in any
 * other build (`wrangler deploy`, the vitest pool, the CLI bundle) it is undeclared and `typeof` is
 * "undefined". Nothing at run time (a variable, a secret, a header, request.cf) can change it.
 */
export const WRANGLER_DEV_BUILD: boolean = typeof __EDGESCALE_WRANGLER_DEV__ !== 'undefined' && __EDGESCALE_WRANGLER_DEV__ === true;

/**
 * workerd: local only in a wrangler-dev build (`devBuild`), for a request whose Host names loopback,
 * that no proxy relayed, and whose CF-Connecting-IP — which miniflare sets from the socket unless the
 * client sent one — is loopback or absent. The last checks stop a naive client on the LAN when
 * wrangler dev listens beyond loopback (`--ip 0.0.0.0`); a client that forges them is only stopped
 * by not doing that, which SECURITY.md says.
 */
export function workerdLocality(devBuild: boolean = WRANGLER_DEV_BUILD): Locality {
  return (c) => {
    if (!devBuild) return false;
    const connecting = c.req.header('cf-connecting-ip');
    return hostIsLoopbackName(c) && !relayed(c) && (connecting === undefined || isLoopbackAddress(connecting));
  };
}
