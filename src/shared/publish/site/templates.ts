// The Curio site's default templates (Mustache). A site repository overrides any of them with a
// file `.curio/templates/<name>.mustache`; the view each one receives is documented beside it.
// The pages need no JavaScript: the whole card of a link is clickable through CSS alone.
export const TEMPLATE_NAMES = ['layout', 'list', 'post', 'card', 'tags', 'style'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export type Templates = Record<TemplateName, string>;

/**
 * View: lang, siteTitle, pageTitle, root, canonical, archive (null with one page), feedAtom,
 * feedJson, stylesheet (the `style` template, served as style.css), css (the same text, for a
 * layout that inlines it), and `meta` for
 * link previews { type, title, description, image { url, alt, width, height } | null,
 * twitterCard, published, tags[] }; partial `content` (list, post or tags).
 */
const layout = `<!DOCTYPE html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{pageTitle}}</title>
{{#meta}}
{{#description}}
<meta name="description" content="{{description}}">
{{/description}}
<meta property="og:type" content="{{type}}">
<meta property="og:site_name" content="{{siteTitle}}">
<meta property="og:title" content="{{title}}">
{{#description}}
<meta property="og:description" content="{{description}}">
{{/description}}
<meta property="og:url" content="{{canonical}}">
<meta property="og:locale" content="{{lang}}">
{{#image}}
<meta property="og:image" content="{{url}}">
<meta property="og:image:width" content="{{width}}">
<meta property="og:image:height" content="{{height}}">
<meta property="og:image:alt" content="{{alt}}">
{{/image}}
{{#published}}
<meta property="article:published_time" content="{{published}}">
{{/published}}
{{#tags}}
<meta property="article:tag" content="{{.}}">
{{/tags}}
<meta name="twitter:card" content="{{twitterCard}}">
<meta name="twitter:title" content="{{title}}">
{{#description}}
<meta name="twitter:description" content="{{description}}">
{{/description}}
{{#image}}
<meta name="twitter:image" content="{{url}}">
<meta name="twitter:image:alt" content="{{alt}}">
{{/image}}
{{/meta}}
<link rel="canonical" href="{{canonical}}">
<link rel="alternate" type="application/atom+xml" title="{{siteTitle}} (Atom)" href="{{feedAtom}}">
<link rel="alternate" type="application/feed+json" title="{{siteTitle}} (JSON Feed)" href="{{feedJson}}">
<link rel="stylesheet" href="{{stylesheet}}">
</head>
<body>
<header class="masthead">
<p class="site"><a href="{{root}}">{{siteTitle}}</a></p>
<nav aria-label="Site">
<ul>
{{#archive}}
<li><a href="{{archive}}">Archive</a></li>
{{/archive}}
<li><a href="{{root}}tags/">Tags</a></li>
<li><a href="{{root}}feed.xml">Feed</a></li>
</ul>
</nav>
</header>
<main>
{{> content}}
</main>
<footer class="colophon">
<p>Subscribe with the <a href="{{root}}feed.xml">Atom feed</a> or the <a href="{{root}}feed.json">JSON Feed</a>.</p>
</footer>
</body>
</html>
`;

/**
 * View: intro { title, description } | null (the home page), heading (other pages), section,
 * picks[] (see card, plus headline, blurb, permalink, date, isoDate, tags[] { name, href },
 * syndication[] { url }), pager { newer, older, page, pages } | null.
 */
const list = `{{#intro}}
<div class="intro">
<h1>{{title}}</h1>
{{#description}}
<p>{{description}}</p>
{{/description}}
</div>
{{/intro}}
{{#heading}}
<h1>{{heading}}</h1>
{{/heading}}
<section aria-labelledby="posts">
<h2 id="posts">{{section}}</h2>
{{#picks}}
<article class="h-entry pick">
<h3 class="p-name"><a class="u-url" href="{{permalink}}">{{headline}}</a></h3>
{{#blurb}}
<p class="p-summary blurb">{{blurb}}</p>
{{/blurb}}
{{> card}}
<p class="meta"><a href="{{permalink}}"><time class="dt-published" datetime="{{isoDate}}">{{date}}</time></a>{{#tags}} <a class="p-category" href="{{href}}" rel="tag">#{{name}}</a>{{/tags}}{{#syndication}} <a class="u-syndication" href="{{url}}" rel="syndication">On Bluesky</a>{{/syndication}}</p>
</article>
{{/picks}}
{{^picks}}
<p>Nothing here yet.</p>
{{/picks}}
</section>
{{#pager}}
<nav aria-label="Pages" class="pager">
{{#newer}}<a href="{{newer}}" rel="prev">Newer posts</a>{{/newer}}
<span>Page {{page}} of {{pages}}</span>
{{#older}}<a href="{{older}}" rel="next">Older posts</a>{{/older}}
</nav>
{{/pager}}
`;

/** View: pick (as in list), back (the home page). */
const post = `{{#pick}}
<article class="h-entry pick pick--page">
<h1 class="p-name">{{headline}}</h1>
{{#blurb}}
<p class="p-summary e-content blurb">{{blurb}}</p>
{{/blurb}}
{{> card}}
<p class="meta"><a class="u-url" href="{{permalink}}"><time class="dt-published" datetime="{{isoDate}}">{{date}}</time></a>{{#tags}} <a class="p-category" href="{{href}}" rel="tag">#{{name}}</a>{{/tags}}{{#syndication}} <a class="u-syndication" href="{{url}}" rel="syndication">On Bluesky</a>{{/syndication}}</p>
</article>
{{/pick}}
<p class="back"><a href="{{back}}">All posts</a></p>
`;

/**
 * The link card of a pick. View: url, title, description, siteName, thumb { src, width, height,
 * alt } | null.
 */
const card = `<div class="link-card u-bookmark-of h-cite">
{{#thumb}}
<img class="link-card__image u-photo" src="{{src}}" width="{{width}}" height="{{height}}" alt="{{alt}}" loading="lazy" decoding="async">
{{/thumb}}
<div class="link-card__body">
<p class="link-card__site p-publisher">{{siteName}}</p>
<p class="link-card__title"><a class="p-name u-url" href="{{url}}">{{title}}</a></p>
{{#description}}
<p class="link-card__description">{{description}}</p>
{{/description}}
</div>
</div>
`;

/** View: heading, tags[] { name, href, count }. */
const tags = `<h1>{{heading}}</h1>
<ul class="tags">
{{#tags}}
<li><a href="{{href}}">#{{name}}</a> ({{count}})</li>
{{/tags}}
</ul>
`;

// Colours are chosen for contrast: body text and links at least 7:1, secondary text at least
// 4.5:1, on the page and on a card, in light and in dark.
const style = `:root { color-scheme: light dark; --fg: #1b1b1f; --muted: #50505a; --link: #0b4fb3; --bg: #ffffff; --card: #f4f4f6; --line: #d9d9de; }
@media (prefers-color-scheme: dark) { :root { --fg: #ececf1; --muted: #b4b4bf; --link: #9cc2ff; --bg: #121215; --card: #1d1d22; --line: #3a3a44; } }
* { box-sizing: border-box; }
body { font: 1.0625rem/1.6 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); max-width: 44rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; overflow-wrap: anywhere; }
a { color: var(--link); text-underline-offset: 0.15em; }
.masthead { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: 0.5rem 1.5rem; padding-bottom: 0.75rem; border-bottom: 1px solid var(--line); }
.masthead ul { list-style: none; display: flex; flex-wrap: wrap; gap: 1rem; margin: 0; padding: 0; }
.site { font-weight: 700; margin: 0; }
.site a { color: var(--fg); text-decoration: none; }
.intro { margin: 2rem 0 1rem; }
.intro h1, h1 { font-size: 1.75rem; line-height: 1.25; margin: 1.5rem 0 0.5rem; }
.intro p { color: var(--muted); font-size: 1.125rem; margin: 0; }
h2 { font-size: 0.875rem; text-transform: uppercase; letter-spacing: 0.08em; color: var(--muted); margin: 2.5rem 0 0.5rem; }
.pick { padding: 1.25rem 0; border-bottom: 1px solid var(--line); }
.pick h3 { font-size: 1.25rem; line-height: 1.3; margin: 0 0 0.5rem; }
.pick h3 a { color: var(--fg); text-decoration: none; }
.pick h3 a:hover { text-decoration: underline; }
.blurb { margin: 0 0 0.75rem; }
.link-card { position: relative; display: grid; grid-template-columns: 1fr; background: var(--card); border: 1px solid var(--line); border-radius: 0.5rem; overflow: hidden; }
.link-card:hover { border-color: var(--link); }
.link-card__image { display: block; width: 100%; height: auto; aspect-ratio: 1.91; object-fit: cover; background: var(--line); }
.link-card__body { padding: 0.75rem 1rem; min-width: 0; }
.link-card__body p { margin: 0; }
.link-card__site { color: var(--muted); font-size: 0.875rem; }
.link-card__title { font-weight: 600; line-height: 1.35; }
.link-card__title a { color: var(--fg); text-decoration: none; }
.link-card__title a::after { content: ""; position: absolute; inset: 0; }
.link-card__description { color: var(--muted); font-size: 0.9375rem; margin-top: 0.25rem !important; display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }
@media (min-width: 36rem) {
  .link-card:has(.link-card__image) { grid-template-columns: 10rem 1fr; }
  .link-card__image { height: 100%; aspect-ratio: auto; min-height: 6.5rem; }
}
.meta { color: var(--muted); font-size: 0.9375rem; margin: 0.75rem 0 0; display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; }
.meta a { color: var(--muted); }
.meta .u-syndication { color: var(--link); }
.pick--page { border-bottom: 0; }
.pick--page h1 { margin-top: 1.5rem; }
.pick--page .blurb { font-size: 1.125rem; }
.pager { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; margin-top: 2rem; }
.pager span, .back, .colophon { color: var(--muted); font-size: 0.9375rem; }
.colophon { margin-top: 3rem; }
.tags { padding-left: 1.25rem; }
:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
.link-card:focus-within { outline: 3px solid var(--link); outline-offset: 2px; }
.link-card__title a:focus-visible { outline: none; }
`;

export const DEFAULT_TEMPLATES: Templates = { layout, list, post, card, tags, style };
