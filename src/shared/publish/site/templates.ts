// The Curio site's default templates (Mustache). A site repository overrides any of them with a
// file `.curio/templates/<name>.mustache`; the view each one receives is documented beside it.
export const TEMPLATE_NAMES = ['layout', 'list', 'tags', 'style'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export type Templates = Record<TemplateName, string>;

/** View: lang, siteTitle, pageTitle, heading, description, root, canonical, feedAtom, feedJson, css; partial `content`. */
const layout = `<!DOCTYPE html>
<html lang="{{lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{pageTitle}}</title>
{{#description}}
<meta name="description" content="{{description}}">
{{/description}}
<link rel="canonical" href="{{canonical}}">
<link rel="alternate" type="application/atom+xml" title="{{siteTitle}} (Atom)" href="{{feedAtom}}">
<link rel="alternate" type="application/feed+json" title="{{siteTitle}} (JSON Feed)" href="{{feedJson}}">
<style>
{{{css}}}
</style>
</head>
<body>
<header>
<p class="site"><a href="{{root}}">{{siteTitle}}</a></p>
<nav aria-label="Site">
<ul>
<li><a href="{{root}}tags/">Tags</a></li>
<li><a href="{{root}}feed.xml">Atom feed</a></li>
<li><a href="{{root}}feed.json">JSON Feed</a></li>
</ul>
</nav>
</header>
<main>
<h1>{{heading}}</h1>
{{#description}}
<p class="description">{{description}}</p>
{{/description}}
{{> content}}
</main>
</body>
</html>
`;

/** View: picks[] { url, title, blurb, host, date, isoDate, tags[] { name, href } }, pager { newer, older, page, pages } | null. */
const list = `{{#picks}}
<article>
<h2><a href="{{url}}">{{title}}</a></h2>
{{#blurb}}
<p>{{blurb}}</p>
{{/blurb}}
<p class="meta"><span class="host">{{host}}</span> · <time datetime="{{isoDate}}">{{date}}</time>{{#tags.length}} · {{/tags.length}}{{#tags}}<a href="{{href}}" rel="tag">#{{name}}</a> {{/tags}}</p>
</article>
{{/picks}}
{{^picks}}
<p>Nothing here yet.</p>
{{/picks}}
{{#pager}}
<nav aria-label="Pages" class="pager">
{{#newer}}<a href="{{newer}}" rel="prev">Newer</a>{{/newer}}
<span>Page {{page}} of {{pages}}</span>
{{#older}}<a href="{{older}}" rel="next">Older</a>{{/older}}
</nav>
{{/pager}}
`;

/** View: tags[] { name, href, count }. */
const tags = `<ul class="tags">
{{#tags}}
<li><a href="{{href}}">#{{name}}</a> ({{count}})</li>
{{/tags}}
</ul>
`;

const style = `:root { color-scheme: light dark; --fg: #1b1b1b; --muted: #595959; --link: #0b57d0; --bg: #fff; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e8e8; --muted: #b0b0b0; --link: #8ab4f8; --bg: #111; } }
body { font: 1.0625rem/1.6 system-ui, sans-serif; color: var(--fg); background: var(--bg); max-width: 42rem; margin: 0 auto; padding: 1rem; }
a { color: var(--link); }
header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: 1rem; }
header ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; }
.site { font-weight: 700; margin: 0; }
h1 { font-size: 1.5rem; }
h2 { font-size: 1.125rem; margin-bottom: 0.25rem; }
.meta, .description, .pager span { color: var(--muted); font-size: 0.9375rem; }
.pager { display: flex; justify-content: space-between; margin-top: 2rem; }
:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
`;

export const DEFAULT_TEMPLATES: Templates = { layout, list, tags, style };
