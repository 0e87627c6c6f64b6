// Main-process publishing: the services behind PublishingApi (see src/shared/publish/api.ts).
export { createPublishingApi, type PublishingApiOptions } from './publishing-api';
export { publishToBluesky, postUrl, type BlueskyPublishDeps } from './bluesky-publisher';
export { removeFromBluesky } from './bluesky-removal';
export { readConversations } from './conversation-reader';
export {
  BlueskySession,
  BlueskyAuthError,
  BlueskyUnreachableError,
  type BlueskySessionOptions,
} from './bluesky-session';
export { publishSite, previewSite, workingCopyDir, type SitePublishDeps } from './site-publisher';
export { UnsafeSitePathError } from './working-copy';
export { makeThumbnail, fetchImageBytes, ThumbnailError, THUMB_LIMITS } from './thumbnail';
export { RateLimitedError, GaveUpError, DEFAULT_RETRY, type RetryPolicy } from './retry';
export { GitError } from './git';
