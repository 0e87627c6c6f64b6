// Whether a hub's address keeps its invite token off the network. Over plain ws:// the token
// travels readable in the URL; that is safe only when the hub is on this machine.

/** localhost, 127.0.0.0/8 and ::1 (bracketed in a URL). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    host === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/** True for `ws://` to another machine: its token could be read by anyone on the way. */
export function isPlainRemoteHubUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'ws:' && !isLoopbackHost(parsed.hostname);
}
