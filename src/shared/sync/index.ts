// The sync wire format, shared by the hub and the app: message types, token claims, presence.
export * from './messages';
export * from './base64url';
export * from './token-claims';
export * from './presence';
export * from './hub-url';
export * from './invite-check';
