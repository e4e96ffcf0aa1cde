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

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim().then(() => refresh()).catch(() => {}));
});

// --- the kept programme ---------------------------------------------------------
async function current() {
  const r = await (await caches.open(META)).match('/offline/current');
  return r ? r.json() : null;
}
const keyOf = (m) => (m.snapshot > 0 ? `s${m.snapshot}-${m.content_hash}` : `g${m.generation}`);

// One check at a time; each is a conditional GET of the manifest (304 while nothing was published).
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
    const cache = await caches.open(name);
    const urls = [...m.pages, ...m.data];
    for (let i = 0; i < urls.length; i += 6) {
      await Promise.all(urls.slice(i, i + 6).map(async (url) => {
        // no-store: straight from the server, and the browser's HTTP cache is left as browsing left it.
        const resp = await fetch(url, { cache: 'no-store', headers: { Purpose: 'prefetch' } });
        if (!resp.ok) throw new Error(`${url}: ${resp.status}`);
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
    for (const client of await self.clients.matchAll({ type: 'window' }))
      client.postMessage({ type: 'programme-kept', ...meta, updated: !!was });
  })().catch(() => { /* no network or a page missing: the copy kept stays, the next visit tries again */ })
    .finally(() => { refreshing = null; });
  return refreshing;
}

async function fromProgramme(url) {
  const cur = await current();
  return cur ? (await caches.open(cur.cache)).match(url) : undefined;
}

// A kept page, as the page will know: it says it is an offline copy.
async function offlineCopy(resp) {
  const headers = new Headers(resp.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  const text = await resp.text();
  return new Response(text.replace('data-copy="live"', 'data-copy="offline"'), { status: 200, headers });
}

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
    plugins: [{
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

// The event list and one event: from the network, else the copy kept; one
// event not kept by itself is taken from the kept list.
workbox.routing.registerRoute(
  ({ url }) => sameOrigin(url) && (url.pathname === '/api/v1/events' || /^\/api\/v1\/events\/[^/]+$/.test(url.pathname)),
  new workbox.strategies.NetworkFirst({
    cacheName: VISITED,
    networkTimeoutSeconds: 4,
    fetchOptions: { cache: 'no-cache' },
    plugins: [{
      cachedResponseWillBeUsed: async ({ request, cachedResponse }) => {
        if (cachedResponse) return cachedResponse;
        const url = new URL(request.url);
        if (url.pathname === '/api/v1/events' && !url.search) return fromProgramme('/api/v1/events');
        const m = /^\/api\/v1\/events\/([^/]+)$/.exec(url.pathname);
        const list = m && (await fromProgramme('/api/v1/events'));
        if (!list) return undefined;
        const body = await list.json();
        const key = decodeURIComponent(m[1]);
        const found = body.events.find((e) => e.key === key);
        return found ? new Response(JSON.stringify({ event: found, generation: body.generation }),
          { headers: { 'content-type': 'application/json' } }) : undefined;
      },
    }],
  }));

// Places left: fresh within 3 s, else the last answer kept (it carries its as_of time).
workbox.routing.registerRoute(
  ({ url }) => sameOrigin(url) && url.pathname === '/api/v1/availability',
  new workbox.strategies.NetworkFirst({
    cacheName: LIVE,
    networkTimeoutSeconds: 3,
    plugins: [{
      cachedResponseWillBeUsed: async ({ cachedResponse }) => cachedResponse || fromProgramme('/api/v1/availability'),
    }],
  }));
