// An event's page, kept current (issue 20): the places left are refreshed
// from /api/v1/availability?event=KEY every 10 s while the page is in view (the server
// answers from memory; offline, the service worker gives the last answer and
// the page says how old it is); "Changed since you last looked" when the
// event's time, place, title or state differ from what this browser saw on
// its last visit (kept in localStorage, the 500 most recent events); and a
// Share button (the system share sheet where there is one, else the link is
// copied). window.MarqueeSeen lets visitor.js (My agenda) use the same memory.
(() => {
  'use strict';
  const SEEN = 'marquee-seen';
  const KEEP = 500;
  const POLL_MS = 10000;

  // --- what this browser saw of each event ------------------------------------------------
  // {key: {title, starts_at, ends_at, where, status, when, at}}
  const loadSeen = () => {
    try { return JSON.parse(localStorage.getItem(SEEN)) || {}; } catch { return {}; }
  };
  const FIELDS = ['title', 'starts_at', 'ends_at', 'where', 'status'];
  const seen = {
    get: (key) => loadSeen()[key] || null,
    // What differs between an earlier look and now: [{field, was, now}].
    changes(before, now) {
      if (!before) return [];
      const out = [];
      if (before.starts_at !== now.starts_at || before.ends_at !== now.ends_at) out.push({ field: 'When', was: before.when, now: now.when });
      if (before.where !== now.where) out.push({ field: 'Where', was: before.where || 'no place given', now: now.where || 'no place given' });
      if (before.title !== now.title) out.push({ field: 'Title', was: before.title, now: now.title });
      if (before.status !== now.status) out.push({ field: 'State', was: before.status, now: now.status });
      return out;
    },
    put(key, look) {
      const all = loadSeen();
      all[key] = { ...Object.fromEntries(FIELDS.map((f) => [f, look[f]])), when: look.when, at: Date.now() };
      const keys = Object.keys(all);
      if (keys.length > KEEP) keys.sort((a, b) => all[a].at - all[b].at).slice(0, keys.length - KEEP).forEach((k) => delete all[k]);
      try { localStorage.setItem(SEEN, JSON.stringify(all)); } catch { /* private mode: nothing remembered */ }
    },
  };
  window.MarqueeSeen = seen;

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };

  function start() {
    const article = document.querySelector('article.event[data-key]');
    if (!article) return;
    const key = article.dataset.key;
    const h1 = article.querySelector('h1');
    const look = {
      title: h1 ? h1.textContent.trim() : '', starts_at: article.dataset.startsAt, ends_at: article.dataset.endsAt,
      where: article.dataset.where, status: article.dataset.status, when: article.dataset.when,
    };

    // Changed since the last look: said once, then this look is remembered. An offline copy may be older
    // than what was seen last, so it neither tells nor remembers.
    const copy = document.documentElement.dataset.copy === 'offline' || !!document.getElementById('offline-view');
    const diff = copy ? [] : seen.changes(seen.get(key), look);
    if (diff.length && h1) {
      const note = el('div', 'changed-note');
      note.setAttribute('role', 'status');
      note.append(el('strong', '', 'Changed since you last looked'));
      const list = el('ul');
      for (const d of diff) {
        const li = el('li');
        li.append(`${d.field}: `, el('span', 'now', d.now), ` (was ${d.was})`);
        list.append(li);
      }
      note.append(list);
      h1.after(note);
    }
    if (!copy) seen.put(key, look);

    // Share.
    const facts = article.querySelector('.facts');
    if (facts) {
      const row = el('p', 'share-row');
      const button = el('button', 'secondary share', 'Share');
      button.type = 'button';
      const said = el('span', 'share-status');
      said.setAttribute('role', 'status');
      button.addEventListener('click', async () => {
        const url = location.origin + location.pathname;
        if (navigator.share) {
          try {
            await navigator.share({ title: look.title, url });
            return;
          } catch (e) {
            if (e && e.name === 'AbortError') return;  // the visitor closed the share sheet
          }
        }
        let text;
        try {
          await navigator.clipboard.writeText(url);
          text = 'Link copied';
        } catch {
          text = url;  // no clipboard here: the link to copy by hand
        }
        // Emptied first, so a second press is announced again.
        said.textContent = '';
        requestAnimationFrame(() => { said.textContent = text; });
      });
      row.append(button, ' ', said);
      // After the page's main action (Register), else after the facts.
      (article.querySelector('p.register') || facts).after(row);
    }

    // Places left.
    const places = document.getElementById('places');
    if (!places || look.status === 'cancelled') return;
    const register = article.querySelector('.register a.button');
    if (register && document.documentElement.dataset.copy === 'offline')
      register.parentElement.append(el('span', 'offline-note', ' Registering needs the network: try again when you are online.'));
    // "14:02", or "Tue 1 Dec, 14:02" for an answer from another day.
    const time = (iso) => {
      const d = new Date(iso);
      const hm = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
      return d.toDateString() === new Date().toDateString() ? hm
        : `${d.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' })}, ${hm}`;
    };
    async function update() {
      const r = await fetch(`/api/v1/availability?event=${encodeURIComponent(key)}`).catch(() => null);
      const body = r && r.ok ? await r.json().catch(() => null) : null;
      const p = body && body.events[key];
      if (!p) return;
      const age = Date.now() - Date.parse(body.as_of);
      places.textContent = p.text + (age > 60000 ? ` (as of ${time(body.as_of)})` : '');
      places.classList.toggle('full', p.state === 'full' || p.state === 'full_waitlist');
      places.dataset.asOf = body.as_of;
      if (register) {
        register.parentElement.hidden = !p.register;
        if (p.register) register.textContent = p.register;
      }
    }
    // A page fresh from the server already says it; a kept copy is brought up to date at once.
    if (document.documentElement.dataset.copy === 'offline' || document.getElementById('offline-view')) update();
    setInterval(() => { if (document.visibilityState === 'visible') update(); }, POLL_MS);
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') update(); });
  }

  // On a page drawn from the kept programme (offline.js), start once it is drawn.
  if (document.getElementById('offline-view') && location.pathname !== '/offline') {
    document.addEventListener('offline-drawn', start, { once: true });
  } else {
    start();
  }
})();
