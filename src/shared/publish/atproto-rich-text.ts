// The two parts of @atproto/api's rich text that Curio uses: counting a text as Bluesky does, and
// finding its links, mentions and tags. They are taken from their own modules, which need only
// @atproto/common-web and the list of top-level domains: the package's entry point would also
// bring its whole client and every lexicon (2 MB of the window's script, about 100 ms of each
// opening's start). bluesky-post.test.ts checks they answer as the package's RichText does.
export { UnicodeString } from '@atproto/api/dist/rich-text/unicode.js';
export { detectFacets } from '@atproto/api/dist/rich-text/detection.js';
