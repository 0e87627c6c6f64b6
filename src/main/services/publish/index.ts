// Main-process publishing: the services behind PublishingApi (see src/shared/publish/api.ts).
export { createPublishingApi, type PublishingApiOptions } from './publishing-api';
export { publishToBluesky, postUrl, type BlueskyPublishDeps } from './bluesky-publisher';
export { BlueskySession, BlueskyAuthError, type BlueskySessionOptions } from './bluesky-session';
export { publishSite, workingCopyDir, commitMessage, type SitePublishDeps } from './site-publisher';
export { makeThumbnail, fetchImageBytes, ThumbnailError, THUMB_LIMITS } from './thumbnail';
export { RateLimitedError, GaveUpError, DEFAULT_RETRY, type RetryPolicy } from './retry';
export { GitError } from './git';
