// DNS rebinding defence. A web page on another site can point its own host name at 127.0.0.1 and make a
// browser send requests here under that name, reading the portal and the API as the signed-in owner. A request
// is served only when its Host names this machine: an IP literal, `localhost` (and `*.localhost`), or a name
// the config allows (`allowed_hosts`; `"*"` allows every name, for a server behind a proxy that checks names).

/** The host name of a Host header: lowercase, without the port or an IPv6 literal's brackets. */
export function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']') === -1 ? undefined : value.indexOf(']'));
  const colon = value.lastIndexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Whether a request with this Host header may be served (no header: an HTTP/1.0 client, served). */
export function isAllowedHost(header: string | undefined, allowed: readonly string[]): boolean {
  if (header === undefined || header === '') return true;
  const name = hostName(header);
  if (IPV4.test(name) || name.includes(':')) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  return allowed.includes('*') || allowed.map((h) => h.toLowerCase()).includes(name);
}
