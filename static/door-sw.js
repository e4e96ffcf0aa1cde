// The door app's service worker (issue 19; served as /door/sw.js, scope
// /door), built on Workbox from npm (embedded at build time under /static/).
// The door pages come from the network when there is one and from the last
// copy when there is none; the scripts and styles they need are kept at
// install, so a phone that opened its door page once keeps scanning in a
// basement. Scans and tickets live in IndexedDB (static/door.js), not here.
/* global workbox */
importScripts('/static/workbox-sw.js');
workbox.setConfig({ modulePathPrefix: '/static/', debug: false });

const PAGES = 'marquee-door-pages-v1';
const ASSETS = 'marquee-door-assets-v1';
const ASSET_URLS = ['/static/app.css', '/static/door.css', '/static/door.js', '/static/jsQR.js', '/static/nacl-fast.min.js',
  '/static/idb.js', '/static/favicon.svg'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(ASSETS).then((c) => c.addAll(ASSET_URLS)).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('marquee-door-') && k !== PAGES && k !== ASSETS).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// The door pages (/door, /door/{id}): fresh from the network, or the last copy after 4 s without an answer.
workbox.routing.registerRoute(
  ({ request, url }) => request.mode === 'navigate' && (url.pathname === '/door' || url.pathname.startsWith('/door/')),
  new workbox.strategies.NetworkFirst({ cacheName: PAGES, networkTimeoutSeconds: 4 }));
// Their scripts and styles: the kept copy at once, refreshed in the background.
workbox.routing.registerRoute(
  ({ url }) => url.origin === self.location.origin && ASSET_URLS.includes(url.pathname),
  new workbox.strategies.StaleWhileRevalidate({ cacheName: ASSETS }));
