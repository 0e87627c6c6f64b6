// The hub's programmatic surface, for the app's tests and e2e fixtures.
export { startHub, type HubOptions, type RunningHub } from './hub';
export { mintToken, verifyToken, parseDuration, type VerifyResult } from './token';
export { readTokenClaims, type TokenClaims, type Role } from '../shared/sync';
export { MemoryRoomStore, type RoomStore, type StoredLog } from './room-store';
export { SqliteRoomStore } from './sqlite-store';
