// The hub's programmatic surface, for the app's tests and e2e fixtures.
export { startHub, type HubOptions, type RunningHub } from './hub';
export {
  mintToken,
  verifyToken,
  readTokenClaims,
  inviteLink,
  parseDuration,
  type TokenClaims,
  type Role,
  type VerifyResult,
} from './token';
export { MemoryRoomStore, type RoomStore, type StoredLog } from './room-store';
export { SqliteRoomStore } from './sqlite-store';
