// The public site's service worker (issue 20; served as /sw.js, scope "/"),
// built on Workbox from npm (embedded at build time, loaded from /static/).
// The server writes the first line of /sw.js: self.__WB_MANIFEST, the static
// files with their revisions, which Workbox precaches (a changed file
// changes /sw.js, so phones update it on their next visit).
//
// The programme: /offline/manifest.json lists the pages and data of the live
// snapshot. When its snapshot number and content hash (or, for a fallback
// programme, its generation) differ from the copy kept here, every listed
// URL is fetched into a new cache, which replaces the old one only once it
// is complete; a phone that loses the network halfway keeps the old copy.
// Pages come from the network when it answers within 4 s, else from the kept
// copy, marked data-copy="offline" so the page says it is offline; a page
// never kept gets /offline, which static/offline.js fills from the kept
// event list (search results, an event). Fetches made to fill the cache
// carry "Purpose: prefetch", so analytics does not count them as views.
/* global workbox */
importScripts('/static/workbox-sw.js');
workbox.setConfig({ modulePathPrefix: '/static/', debug: false });
workbox.loadModule('workbox-precaching');
workbox.loadModule('workbox-routing');
workbox.loadModule('workbox-strategies');

const PROGRAMME = 'marquee-programme-';  // + the snapshot's key: the pages and data of one snapshot
const VISITED = 'marquee-visited';        // pages and data fetched while browsing (emptied on a new snapshot)
const LIVE = 'marquee-live';              // places left, kept across snapshots
const META = 'marquee-meta';              // '/offline/current': which programme cache is complete and current

workbox.precaching.precacheAndRoute(self.__WB_MANIFEST || []);

// Activation only takes over the open pages: the browser holds every fetch of those pages until it ends,
// so the programme is fetched afterwards (a page's message or a navigation), never here.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'refresh') event.waitUntil(refresh());
});

// --- the kept programme ---------------------------------------------------------
async function current() {
  const r = await caches.match('/offline/current', { cacheName: META });
  return r ? r.json() : null;
}
const keyOf = (m) => (m.snapshot > 0 ? `s${m.snapshot}-${m.content_hash}` : `g${m.generation}`);
const ok = (resp) => resp && resp.status === 200 && resp.type === 'basic';

// One check at a time; each is a conditional GET of the manifest (304 while nothing was published).
// A copy interrupted halfway is continued by the next check: what its cache already holds is not fetched again.
let refreshing = null;
function refresh() {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    const r = await fetch('/offline/manifest.json', { cache: 'no-cache' });
    if (!r.ok) return;
    const m = await r.json();
    const was = await current();
    if (was && was.key === keyOf(m)) return;
    const name = PROGRAMME + keyOf(m);
    // Partial copies of other snapshots will never be finished: they go first.
    for (const k of await caches.keys())
      if (k.startsWith(PROGRAMME) && k !== name && (!was || k !== was.cache)) await caches.delete(k);
    const cache = await caches.open(name);
    const urls = [...m.pages, ...m.data];
    for (let i = 0; i < urls.length; i += 6) {
      await Promise.all(urls.slice(i, i + 6).map(async (url) => {
        if (await cache.match(url)) return;
        // no-store: straight from the server, and the browser's HTTP cache is left as browsing left it.
        const resp = await fetch(url, { cache: 'no-store', headers: { Purpose: 'prefetch' } });
        if (!ok(resp)) throw new Error(`${url}: ${resp.status}`);
        await cache.put(url, resp);
      }));
    }
    const meta = {
      key: keyOf(m), cache: name, snapshot: m.snapshot, content_hash: m.content_hash,
      published_at: m.published_at, saved_at: new Date().toISOString(), pages: m.pages.length,
    };
    await (await caches.open(META)).put('/offline/current', new Response(JSON.stringify(meta),
      { headers: { 'content-type': 'application/json' } }));
    for (const k of await caches.keys())
      if ((k.startsWith(PROGRAMME) && k !== name) || k === VISITED) await caches.delete(k);
    list = null;
    for (const client of await self.clients.matchAll({ type: 'window' }))
      client.postMessage({ type: 'programme-kept', ...meta, updated: !!was });
  })().catch(() => { /* no network or a page missing: the copy kept stays, the next visit goes on with it */ })
    .finally(() => { refreshing = null; });
  return refreshing;
}

async function fromProgramme(url) {
  const cur = await current();
  return cur ? caches.match(url, { cacheName: cur.cache }) : undefined;
}

// The kept event list, parsed once per kept programme (an offline agenda asks for each of its events).
let list = null;
async function keptEvents() {
  const cur = await current();
  if (!cur) return null;
  if (!list || list.cache !== cur.cache) {
    const r = await caches.match('/api/v1/events', { cacheName: cur.cache });
    if (!r) return null;
    const body = await r.json();
    list = { cache: cur.cache, generation: body.generation, byKey: new Map(body.events.map((e) => [e.key, e])) };
  }
  return list;
}

// A kept page, as the page will know: it says it is an offline copy.
async function offlineCopy(resp) {
  const headers = new Headers(resp.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  const text = await resp.text();
  return new Response(text.replace('data-copy="live"', 'data-copy="offline"'), { status: 200, headers });
}

// Only whole answers are kept (not redirects, errors or opaque answers); a server error counts as no
// answer, so the kept copy is shown instead of a 503 page during a restart.
const keepOnlyOk = {
  cacheWillUpdate: async ({ response }) => (ok(response) ? response : null),
  fetchDidSucceed: async ({ response }) => {
    if (response.status >= 500) throw new Error(`server error ${response.status}`);
    return response;
  },
};

// --- routes ---------------------------------------------------------------------------
const sameOrigin = (url) => url.origin === self.location.origin;
const isPage = (url) => sameOrigin(url) && (url.pathname === '/' || ['/agenda', '/changelog', '/offline'].includes(url.pathname) ||
  (/^\/events\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('.ics')));

// Any public page opened online looks for a newer snapshot.
self.addEventListener('fetch', (event) => {
  if (event.request.mode === 'navigate' && isPage(new URL(event.request.url))) event.waitUntil(refresh());
});

workbox.routing.registerRoute(
  ({ request, url }) => request.mode === 'navigate' && isPage(url),
  new workbox.strategies.NetworkFirst({
    cacheName: VISITED,
    networkTimeoutSeconds: 4,
    plugins: [keepOnlyOk, {
      // Online, the page as the server has it now (revalidated: a 304 while unchanged), not a copy the
      // browser's HTTP cache may keep for 30 s: a visitor back online sees a publish at once. Workbox passes
      // no fetch options for navigations, so the request is remade; redirects go back to the browser.
      requestWillFetch: async ({ request }) => new Request(request.url, {
        cache: 'no-cache', credentials: 'same-origin', redirect: 'manual', headers: request.headers,
      }),
      cachedResponseWillBeUsed: async ({ request, cachedResponse }) => {
        const kept = cachedResponse || (await fromProgramme(request.url)) || (await fromProgramme('/offline'));
        return kept ? offlineCopy(kept) : kept;
      },
    }],
  }));

const json = (body) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });

// The event list and one event: from the network, else the copy kept; one
// event not kept by itself is taken from the kept list.
workbox.routing.registerRoute(
  ({ url }) => sameOrigin(url) && (url.pathname === '/api/v1/events' || /^\/api\/v1\/events\/[^/]+$/.test(url.pathname)),
  new workbox.strategies.NetworkFirst({
    cacheName: VISITED,
    networkTimeoutSeconds: 4,
    fetchOptions: { cache: 'no-cache' },
    plugins: [keepOnlyOk, {
      cachedResponseWillBeUsed: async ({ request, cachedResponse }) => {
        if (cachedResponse) return cachedResponse;
        const url = new URL(request.url);
        if (url.pathname === '/api/v1/events' && !url.search) return fromProgramme('/api/v1/events');
        const m = /^\/api\/v1\/events\/([^/]+)$/.exec(url.pathname);
        const kept = m && (await keptEvents());
        if (!kept) return undefined;
        let key;
        try { key = decodeURIComponent(m[1]); } catch { return undefined; }
        const found = kept.byKey.get(key);
        return found ? json({ event: found, generation: kept.generation }) : undefined;
      },
    }],
  }));

// Places left (one event with ?event=KEY, else all): fresh within 3 s, else the last answer kept, which
// carries its as_of time; an event never asked for online is looked up in the list kept with the programme.
workbox.routing.registerRoute(
  ({ url }) => sameOrigin(url) && url.pathname === '/api/v1/availability',
  new workbox.strategies.NetworkFirst({
    cacheName: LIVE,
    networkTimeoutSeconds: 3,
    plugins: [keepOnlyOk, {
      cachedResponseWillBeUsed: async ({ cachedResponse }) => cachedResponse || fromProgramme('/api/v1/availability'),
    }],
  }));
