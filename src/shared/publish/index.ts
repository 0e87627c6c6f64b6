// Publishing's pure core: what a post or a site is made of, and the outbox's plan/settle steps.
export * from './pick';
export * from './text';
export * from './blurb';
export * from './record-key';
export * from './settings';
export * from './bluesky-post';
export * from './bluesky-job';
export * from './site-job';
export * from './publish-job';
export * from './press';
export * from './site/entries';
export * from './site/templates';
export * from './site/feeds';
export * from './site/content-files';
export * from './site/build';
export * from './site/changes';
export * from './api';
