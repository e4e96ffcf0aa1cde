// The public site without a network (issue 20). Registers the service worker
// (/sw.js, static/site-sw.js), which keeps the live snapshot's pages and data
// on this device; says "Offline — programme as of <time>" on a kept copy or
// when the network goes; and, on /offline (what the worker answers for a page
// it never kept), draws the search results or the event asked for from the
// kept event list. Runs before event-live.js and visitor.js, so the stars and
// the live places apply to what it draws. Every page works without it.
(() => {
  'use strict';
  const root = document.documentElement;
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(() => { /* private mode or an old browser: online only */ });
    // The worker keeps (or updates) the programme once it runs: on the first visit no navigation went through it.
    navigator.serviceWorker.ready.then((reg) => reg.active && reg.active.postMessage({ type: 'refresh' })).catch(() => {});
    navigator.serviceWorker.addEventListener('message', (e) => {
      if (e.data && e.data.type === 'programme-kept') root.dataset.programmeKept = e.data.key;
    });
  }

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  // Which programme this device keeps: {key, snapshot, published_at, saved_at}, or null.
  const kept = async () => {
    try {
      const r = window.caches && (await (await caches.open('marquee-meta')).match('/offline/current'));
      return r ? r.json() : null;
    } catch {
      return null;
    }
  };
  kept().then((m) => { if (m && !root.dataset.programmeKept) root.dataset.programmeKept = m.key; });  // a newer message wins

  // --- the offline banner -------------------------------------------------------------
  const fmt = (iso) => new Date(iso).toLocaleString('en-GB', {
    weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
  });
  const banner = el('p', 'offline-banner');
  banner.setAttribute('role', 'status');
  banner.hidden = true;
  const main = document.getElementById('main');
  if (main) main.prepend(banner);
  async function showBanner() {
    const copy = root.dataset.copy === 'offline';
    if (navigator.onLine && !copy) {
      banner.hidden = true;
      return;
    }
    const m = await kept();
    const asOf = m ? ` — programme as of ${fmt(m.published_at || m.saved_at)}` : '';
    // A kept copy means the network did not answer (or not within 4 s): offline, whatever navigator.onLine says.
    banner.replaceChildren(`Offline${asOf}.`);
    if (copy) {
      const again = el('a', '', 'Try again');
      again.href = location.href;
      banner.append(' ', again);
    }
    banner.hidden = false;
  }
  window.addEventListener('online', showBanner);
  window.addEventListener('offline', showBanner);
  showBanner();

  // --- pages drawn from the kept event list ---------------------------------------------
  const view = document.getElementById('offline-view');
  if (!view || location.pathname === '/offline') return;
  const fold = (s) => (s || '').normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  const hm = (local) => local.slice(11, 16);
  // "Friday 11 June 2027", as the server writes days (adapters/render/event_text).
  const dayLabel = (ymd) => {
    const d = new Date(`${ymd}T12:00:00`);
    const part = (o) => d.toLocaleDateString('en-GB', o);
    return `${part({ weekday: 'long' })} ${d.getDate()} ${part({ month: 'long' })} ${d.getFullYear()}`;
  };
  const when = (e) => {
    const day = dayLabel(e.local_starts_at.slice(0, 10));
    if (e.all_day) return day;
    const end = e.local_ends_at && e.local_ends_at !== e.local_starts_at ? `–${hm(e.local_ends_at)}` : '';
    return `${day}, ${hm(e.local_starts_at)}${end}`;
  };
  const where = (e) => [e.venue, e.room].filter(Boolean).join(', ');

  function card(e) {
    const li = el('li', `event-card${e.status === 'cancelled' ? ' cancelled' : ''}`);
    const t = el('time', '', e.all_day ? 'All day' : hm(e.local_starts_at));
    t.dateTime = e.local_starts_at;
    const a = el('a', 'event-title', e.title);
    a.href = `/events/${encodeURIComponent(e.key)}`;
    li.append(t, a);
    if (e.status === 'cancelled') li.append(el('span', 'badge', 'Cancelled'));
    li.append(el('span', 'meta', [e.venue, e.room, e.category].filter(Boolean).join(' · ')));
    return li;
  }

  function drawSearch(events, params) {
    const words = fold(params.get('q')).split(/\s+/).filter(Boolean);
    const day = params.get('day');
    const match = (e) => {
      const d = e.local_starts_at.slice(0, 10);
      if (day && d !== day) return false;
      if (params.get('from') && d < params.get('from')) return false;
      if (params.get('to') && d > params.get('to')) return false;
      if (params.get('category') && e.category !== params.get('category')) return false;
      if (params.get('venue') && e.venue !== params.get('venue')) return false;
      if (params.get('tag') && !(e.tags || []).includes(params.get('tag'))) return false;
      const text = fold([e.title, e.description, e.venue, e.room, e.category, (e.tags || []).join(' '), e.organizer].join(' '));
      return words.every((w) => text.includes(w));
    };
    const found = events.filter(match);
    document.title = `Search (offline) – ${document.title.split(' – ').pop()}`;
    const h1 = el('h1', '', 'Programme');
    const form = el('form', 'filters');
    form.method = 'get';
    form.action = '/';
    form.setAttribute('role', 'search');
    const label = el('label', '', 'Search the programme');
    label.htmlFor = 'q';
    const row = el('div', 'search-row');
    const input = el('input');
    input.id = 'q';
    input.name = 'q';
    input.type = 'search';
    input.value = params.get('q') || '';
    row.append(input, el('button', '', 'Search'));
    form.append(label, row);
    const count = el('p', 'result-count', `${found.length} of ${events.length} events match (searched on this device).`);
    count.setAttribute('role', 'status');
    const parts = [h1, form, count];
    let list = null, shownDay = '';
    for (const e of found) {
      const d = e.local_starts_at.slice(0, 10);
      if (d !== shownDay) {
        shownDay = d;
        const section = el('section', 'day');
        section.append(el('h2', '', dayLabel(d)));
        list = el('ol', 'events');
        section.append(list);
        parts.push(section);
      }
      list.append(card(e));
    }
    if (!found.length) parts.push(el('p', 'empty', 'No events match. Try fewer words.'));
    view.replaceChildren(...parts);
  }

  function drawEvent(e) {
    document.title = `${e.title} – ${document.title.split(' – ').pop()}`;
    const article = el('article', `event${e.status === 'cancelled' ? ' cancelled' : ''}`);
    Object.assign(article.dataset, {
      key: e.key, startsAt: e.starts_at, endsAt: e.ends_at, when: when(e), where: where(e), status: e.status,
    });
    const back = el('p', 'back');
    const home = el('a', '', '← Programme');
    home.href = '/';
    back.append(home);
    article.append(back, el('h1', '', e.title));
    if (e.status === 'cancelled') article.append(el('p', 'badge', 'This event is cancelled.'));
    const facts = el('dl', 'facts');
    const fact = (dt, dd) => { if (dd) facts.append(el('dt', '', dt), el('dd', '', dd)); };
    fact('When', `${when(e)} (${e.time_zone})`);
    fact('Where', where(e));
    fact('Address', e.address);
    fact('Category', e.category);
    fact('With', e.organizer);
    fact('Price', e.price);
    if (e.status !== 'cancelled') {
      facts.append(el('dt', '', 'Places'));
      const places = el('dd', 'places', '');
      places.id = 'places';
      facts.append(places);
    }
    article.append(facts);
    // The description is Markdown: shown as its text, paragraph by paragraph, until the page is online again.
    const text = el('div', 'description');
    for (const para of (e.description || '').split(/\n{2,}/)) if (para.trim()) text.append(el('p', '', para.trim()));
    article.append(text);
    view.replaceChildren(article);
  }

  (async () => {
    const r = await fetch('/api/v1/events').catch(() => null);
    const body = r && r.ok ? await r.json().catch(() => null) : null;
    if (!body) return;
    const m = /^\/events\/([^/]+)$/.exec(location.pathname);
    if (m) {
      let key;
      try { key = decodeURIComponent(m[1]); } catch { return; }
      const e = body.events.find((x) => x.key === key);
      if (!e) return;  // not in the kept programme: the page says so as it is
      drawEvent(e);
    } else if (location.pathname === '/') {
      drawSearch(body.events, new URLSearchParams(location.search));
    } else {
      return;
    }
    view.dataset.drawn = '1';
    document.dispatchEvent(new CustomEvent('offline-drawn'));
  })();
})();
