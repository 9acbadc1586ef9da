/**
 * The renderer's Content-Security-Policy, written once. The build puts it into
 * index.html as a <meta> (the only CSP a file:// page in Electron gets), and the
 * browser-mode server and Electron's session also send it as a header.
 */

const DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  // Label colours arrive through a constructable stylesheet (CSSOM), which CSP allows;
  // inline style attributes and <style> elements stay blocked.
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** The policy as an HTTP header value. */
export const CONTENT_SECURITY_POLICY = [...DIRECTIVES, "frame-ancestors 'none'"].join("; ");

/** The policy for a <meta> element (which cannot carry frame-ancestors). */
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.join("; ");
