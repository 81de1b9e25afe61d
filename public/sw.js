// Stackwise service worker: keeps this page's own files so that a page
// visited once works offline.
//
// The release build (scripts/finish-hosted.mjs) fills in BUILD (a hash of
// the files) and PRECACHE (every file the page loads, with trunk's hashed
// names), so each build gets its own cache and older caches are deleted when
// it takes over. Unbuilt (trunk serve), BUILD is "dev" and nothing is
// cached.
//
// Only GET requests to this origin are handled; everything else goes to the
// network untouched. The page itself is fetched network-first (a new build
// is picked up when online) and falls back to the cached copy; every other
// file is cache-first, since its name changes with its content.

const BUILD = "dev";
const PRECACHE = [];

const PREFIX = "stackwise-";
const CACHE = `${PREFIX}${BUILD}`;
const PAGE = new URL("./", self.registration.scope).href;
const PAGE_PATHS = [new URL(PAGE).pathname, new URL("index.html", PAGE).pathname];
const SELF_PATH = new URL(self.location.href).pathname;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      if (BUILD !== "dev") {
        const cache = await caches.open(CACHE);
        await cache.addAll(PRECACHE.map((path) => new URL(path, self.registration.scope).href));
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(PREFIX) && name !== CACHE)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

/** The page: from the network when it answers, else the cached copy. */
async function page(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(PAGE, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(PAGE);
    if (cached) return cached;
    throw error;
  }
}

/** Any other file: the cached copy, else the network (and keep it). */
async function file(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (BUILD === "dev" || request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === SELF_PATH) return;
  if (request.mode === "navigate" && PAGE_PATHS.includes(url.pathname)) {
    event.respondWith(page(request));
  } else {
    event.respondWith(file(request));
  }
});
