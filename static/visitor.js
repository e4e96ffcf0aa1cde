// The visitor's agenda (issue 20): a star on every event in the programme and
// on its page, and "My agenda" (/agenda) listing the starred events by day
// with overlaps and the walks between venues. The stars live in this
// browser (localStorage); a private link (/agenda#t=<token>, the token in the
// fragment so it never reaches a server log) syncs them with other devices
// through /api/v1/agendas, with If-Match so two devices never lose a change.
// (The API itself carries the token in its path, as documented in OpenAPI.)
// Every page works without this script.
(() => {
  'use strict';
  const STORE = 'marquee-agenda';
  const WALK_MINUTES = 15;  // consecutive events at different venues this close get a walking note

  // --- the agenda on this device ----------------------------------------------
  // {events: [keys], token, revision, ops: [{id, op: "add"|"remove", key}] (changes not yet synced), failed}
  const load = () => {
    try {
      const a = JSON.parse(localStorage.getItem(STORE));
      if (a && Array.isArray(a.events)) return { ops: [], ...a };
    } catch { /* a broken copy starts again empty */ }
    return { events: [], ops: [] };
  };
  const save = (a) => {
    try { localStorage.setItem(STORE, JSON.stringify(a)); } catch { /* private mode: the stars last for this page */ }
  };
  const starred = (key) => load().events.includes(key);
  const apply = (events, ops) => {
    const out = events.slice();
    for (const { op, key } of ops) {
      const i = out.indexOf(key);
      if (op === 'add' && i < 0) out.push(key);
      if (op === 'remove' && i >= 0) out.splice(i, 1);
    }
    return out;
  };

  const changed = () => document.dispatchEvent(new CustomEvent('agenda-changed'));
  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);
  // Another tab changed the agenda: show it here too.
  window.addEventListener('storage', (e) => { if (e.key === STORE) changed(); });
  // Sync steps of all tabs of this site take turns (Web Locks), so none drops another's changes.
  const exclusive = (fn) => (navigator.locks ? navigator.locks.request('marquee-agenda', fn) : fn());

  function toggle(key) {
    const a = load();
    const op = a.events.includes(key) ? 'remove' : 'add';
    a.events = apply(a.events, [{ op, key }]);
    if (a.token) a.ops.push({ id: newId(), op, key });
    save(a);
    changed();
    push();
    return op === 'add';
  }

  // --- sync ----------------------------------------------------------------------
  const api = (token) => `/api/v1/agendas/${encodeURIComponent(token)}`;
  // Sends the changes not yet synced; on 412 (another device first) re-applies them to the agenda as it stands.
  function push() {
    return exclusive(async () => {
      for (let attempt = 0; attempt < 3; ++attempt) {
        const cur = load();
        if (!cur.token || !cur.ops.length) return;
        const r = await fetch(api(cur.token), {
          method: 'PUT', headers: { 'content-type': 'application/json', 'if-match': `"r${cur.revision}"` },
          body: JSON.stringify({ events: cur.events }),
        }).catch(() => null);
        if (!r) return;  // offline: the changes wait for the next visit
        const body = await r.json().catch(() => ({}));
        const now = load();
        if (r.ok) {
          // Only the changes this request carried are done; any made meanwhile stay pending.
          const sent = new Set(cur.ops.map((o) => o.id));
          const left = now.ops.filter((o) => !sent.has(o.id));
          save({ ...now, revision: body.revision, ops: left, events: apply(body.events, left), failed: false });
          changed();
          if (left.length) continue;
          return;
        }
        if (r.status === 412 && body.agenda) {
          save({ ...now, revision: body.agenda.revision, events: apply(body.agenda.events, now.ops) });
          changed();
          continue;
        }
        if (r.status === 404) {  // the agenda was removed (unused for over a year): keep the stars here
          save({ events: now.events, ops: [] });
        } else if (r.status === 422 || r.status === 400) {  // not sendable as it is: keep the stars here, stop retrying
          save({ ...now, ops: [], failed: true });
        }
        changed();
        return;
      }
    });
  }

  // Takes the agenda as it stands on the server when this device has nothing pending.
  async function pull() {
    if (!load().token) return;
    const pending = await exclusive(async () => {
      const a = load();
      const r = await fetch(api(a.token)).catch(() => null);
      if (!r) return false;
      if (r.status === 404) {
        save({ events: a.events, ops: [] });
        changed();
        return false;
      }
      if (!r.ok) return false;
      const body = await r.json();
      const now = load();
      if (body.revision < (now.revision || 0)) return now.ops.length > 0;  // an older answer than what this tab knows
      save({ ...now, revision: body.revision, events: apply(body.events, now.ops) });
      changed();
      return now.ops.length > 0;
    });
    if (pending) await push();
  }

  // Opening a sync link: this device joins the agenda, adding its own stars to it.
  async function join(token) {
    const r = await fetch(api(token)).catch(() => null);
    if (!r || !r.ok) return false;
    const body = await r.json();
    const mine = load();
    const ops = mine.events.filter((k) => !body.events.includes(k)).map((key) => ({ id: newId(), op: 'add', key }));
    save({ events: apply(body.events, ops), token, revision: body.revision, ops });
    await push();
    return true;
  }

  // --- stars -----------------------------------------------------------------------
  // A toggle button: its name stays the same, aria-pressed says whether the event is in the agenda.
  const stars = new Set();
  const renderStar = (b) => {
    const on = starred(b.dataset.key);
    b.setAttribute('aria-pressed', String(on));
    b.textContent = on ? '★' : '☆';
    b.title = on ? 'In my agenda (press to remove)' : 'Add to my agenda';
  };
  document.addEventListener('agenda-changed', () => {
    for (const b of stars) if (b.isConnected) renderStar(b); else stars.delete(b);
  });
  function starButton(key, title) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'star';
    b.dataset.key = key;
    b.setAttribute('aria-label', `My agenda: ${title}`);
    b.addEventListener('click', () => toggle(key));
    stars.add(b);
    renderStar(b);
    return b;
  }

  const keyOf = (href) => {
    const m = /^\/events\/([^/?#]+)$/.exec(new URL(href, location.href).pathname);
    try {
      return m ? decodeURIComponent(m[1]) : null;
    } catch {
      return null;
    }
  };
  // Stars on the programme's cards and on an event's page.
  function decorate() {
    for (const li of document.querySelectorAll('li.event-card')) {
      const a = li.querySelector('a.event-title, a[href^="/events/"]');
      const key = a && keyOf(a.getAttribute('href'));
      if (!key) continue;
      li.classList.add('has-star');
      li.append(starButton(key, a.textContent.trim()));
    }
    const here = keyOf(location.pathname);
    const h1 = document.querySelector('main h1');
    if (here && h1) {
      const row = document.createElement('p');
      row.className = 'star-row';
      const label = document.createElement('span');
      const b = starButton(here, h1.textContent.trim());
      const say = () => { label.textContent = starred(here) ? 'In my agenda' : 'Add to my agenda'; };
      document.addEventListener('agenda-changed', say);
      say();
      row.append(b, label);
      h1.after(row);
    }
  }
  // On a page drawn from the kept programme (offline.js), once it is drawn.
  if (document.getElementById('offline-view') && location.pathname !== '/offline') {
    document.addEventListener('offline-drawn', decorate, { once: true });
  } else {
    decorate();
  }

  // "My agenda" in the site's navigation (only where this script runs, as the page needs it).
  const nav = document.querySelector('.site-header nav');
  if (nav && !nav.querySelector('a[href="/agenda"]')) {
    const link = document.createElement('a');
    link.href = '/agenda';
    link.textContent = 'My agenda';
    if (location.pathname === '/agenda') link.setAttribute('aria-current', 'page');
    nav.append(link, ' ');
  }

  // --- the agenda page ------------------------------------------------------------------
  const box = document.getElementById('agenda');
  if (!box) {
    pull();
    return;
  }
  const minutes = (a, b) => Math.round((Date.parse(b) - Date.parse(a)) / 60000);
  const hm = (local) => local.slice(11, 16);
  // "Friday 11 June 2027", as the server writes days (adapters/render/event_text).
  const dayLabel = (local) => {
    const d = new Date(`${local.slice(0, 10)}T12:00:00`);
    const part = (o) => d.toLocaleDateString('en-GB', o);
    return `${part({ weekday: 'long' })} ${d.getDate()} ${part({ month: 'long' })} ${d.getFullYear()}`;
  };
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const cache = new Map();
  async function event(key) {
    if (!cache.has(key))
      cache.set(key, fetch(`/api/v1/events/${encodeURIComponent(key)}`)
        .then((r) => (r.ok ? r.json() : null)).then((b) => (b && (b.event || b)) || null).catch(() => null));
    return cache.get(key);
  }

  const status = document.getElementById('agenda-status');
  let shown = null;
  async function render() {
    const keys = load().events;
    const events = (await Promise.all(keys.map(event))).filter(Boolean).sort((a, b) => a.starts_at.localeCompare(b.starts_at));
    const missing = keys.length - events.length;
    // Rebuilding the list would drop the keyboard focus: it moves to the status line, which says what changed.
    const hadFocus = box.contains(document.activeElement);
    if (shown !== null && shown !== events.length) status.textContent = `${events.length} ${events.length === 1 ? 'event' : 'events'} in my agenda`;
    shown = events.length;
    box.replaceChildren();
    if (hadFocus) status.focus();
    if (!keys.length) {
      box.append(el('p', 'hint', 'Nothing starred yet. Star (☆) events in the programme or on their pages; they appear here by day, with overlaps and the walks between venues.'));
      return;
    }
    box.append(el('p', 'hint', `${events.length} ${events.length === 1 ? 'event' : 'events'}` +
      (missing ? ` (${missing} no longer in the programme)` : '') + '. Times are each venue\'s local time.'));
    let day = '', list = null;
    events.forEach((e, i) => {
      const d = e.local_starts_at.slice(0, 10);
      if (d !== day) {
        day = d;
        box.append(el('h2', 'agenda-day', dayLabel(e.local_starts_at)));
        list = el('ol', 'agenda-list');
        box.append(list);
      }
      const prev = events[i - 1];
      // A walk between venues: the previous event ends shortly before this one starts, somewhere else.
      if (prev && prev.local_starts_at.slice(0, 10) === d && prev.venue && e.venue && prev.venue !== e.venue) {
        const gap = minutes(prev.ends_at, e.starts_at);
        if (gap >= 0 && gap <= WALK_MINUTES)
          list.append(el('li', 'agenda-walk', `${gap} min to get from ${prev.venue} to ${e.venue}`));
      }
      const li = el('li', 'agenda-item');
      if (e.status === 'cancelled') li.classList.add('cancelled');
      const clashes = e.status === 'cancelled' ? []
        : events.filter((o) => o !== e && o.status !== 'cancelled' && o.starts_at < e.ends_at && e.starts_at < o.ends_at);
      if (clashes.length) li.classList.add('overlap');
      const top = el('div');
      top.append(el('span', 'when', `${hm(e.local_starts_at)}–${hm(e.local_ends_at)} `));
      const link = el('a', '', e.title);
      link.href = `/events/${encodeURIComponent(e.key)}`;
      top.append(link);
      if (e.status === 'cancelled') top.append(' ', el('strong', '', 'Cancelled'));
      li.append(top, starButton(e.key, e.title));
      li.append(el('span', 'meta', [e.venue, e.room].filter(Boolean).join(' · ')));
      if (clashes.length) li.append(el('p', 'clash', `Overlaps with ${clashes.map((o) => o.title).join(', ')}`));
      // Changed since this browser last looked at the event (event-live.js keeps what it saw; its page clears the note).
      if (window.MarqueeSeen && document.documentElement.dataset.copy !== 'offline') {  // a kept copy may be older than what was seen
        const look = {
          title: e.title, starts_at: e.starts_at, ends_at: e.ends_at, status: e.status,
          where: [e.venue, e.room].filter(Boolean).join(', '),
          when: `${dayLabel(e.local_starts_at)}, ${hm(e.local_starts_at)}–${hm(e.local_ends_at || e.local_starts_at)}`,
        };
        const before = window.MarqueeSeen.get(e.key);
        if (!before) window.MarqueeSeen.put(e.key, look);
        const diff = window.MarqueeSeen.changes(before, look);
        if (diff.length) {
          li.classList.add('changed');
          li.append(el('p', 'changed-note', `Changed since you last looked: ${diff.map((d) => `${d.field.toLowerCase()} was ${d.was}`).join('; ')}`));
        }
      }
      list.append(li);
    });
  }

  // The sync section.
  const sync = document.getElementById('agenda-sync');
  const linkBox = document.getElementById('agenda-sync-link');
  const none = document.getElementById('agenda-sync-none');
  const start = document.getElementById('agenda-sync-start');
  const input = document.getElementById('agenda-link');
  const showLink = () => {
    const a = load();
    sync.hidden = false;
    linkBox.hidden = !a.token;
    start.hidden = !!a.token;
    none.hidden = !!a.token;
    if (a.token) {
      input.value = `${location.origin}/agenda#t=${a.token}`;
      document.getElementById('agenda-calendar').href = `${location.origin}/agenda/${a.token}/calendar.ics`;
    }
  };
  // Makes this agenda's sync link (the server-side agenda alerts need too); false with `none` telling why.
  async function makeLink() {
    const r = await fetch('/api/v1/agendas', { method: 'POST' }).catch(() => null);
    if (!r || !r.ok) {
      none.textContent = r && r.status === 429 ? 'Too many sync links from here just now; try again in a few minutes.'
        : 'No network: make the sync link when you are online again.';
      return false;
    }
    const body = await r.json();
    const a = load();
    save({ ...a, token: body.token, revision: body.revision, ops: a.events.map((key) => ({ id: newId(), op: 'add', key })) });
    await push();
    showLink();
    return true;
  }
  start.addEventListener('click', async () => {
    start.disabled = true;
    const made = await makeLink();
    start.disabled = false;
    if (!made) return;
    input.focus();
    input.select();
  });
  document.getElementById('agenda-copy').addEventListener('click', async () => {
    input.select();
    try { await navigator.clipboard.writeText(input.value); } catch { document.execCommand('copy'); }
  });

  // E-mail alerts for the starred events (POST/GET/DELETE /api/v1/agendas/{token}/alerts).
  // The last state the server told is kept with the agenda ({state, email}), so
  // offline the section still says whether alerts are on.
  const alerts = document.getElementById('agenda-alerts');
  const alertState = document.getElementById('agenda-alerts-state');
  const alertForm = document.getElementById('agenda-alerts-form');
  const alertEmail = document.getElementById('alert-email');
  const alertError = document.getElementById('alert-email-error');
  const alertStop = document.getElementById('agenda-alerts-stop');
  const alertIntro = alertState.textContent;
  const alertsApi = (token) => `${api(token)}/alerts`;
  let alertNow = { state: 'none' };
  const drawAlerts = (s, message) => {
    alertNow = s;
    save({ ...load(), alert: s });
    alerts.hidden = false;
    alertForm.hidden = s.state === 'confirmed';
    alertStop.hidden = s.state === 'none';
    alertState.textContent = message || (s.state === 'confirmed'
      ? `Alerts go to ${s.email}. Each message has a link to stop them.`
      : s.state === 'pending'
        ? `Almost done: open the link sent to ${s.email} to confirm the alerts (look in the spam folder too). A different address? Enter it below.`
        : alertIntro);
  };
  // The state as it stands, with a message in place of the usual words (a failure).
  const tellAlerts = (message) => drawAlerts(alertNow, message);
  const fieldError = (text) => {
    alertError.textContent = text;
    alertError.hidden = !text;
    if (text) alertEmail.setAttribute('aria-invalid', 'true');
    else alertEmail.removeAttribute('aria-invalid');
  };
  async function showAlerts() {
    const a = load();
    if (!a.token) return drawAlerts({ state: 'none' });
    alertNow = a.alert || { state: 'none' };
    const r = await fetch(alertsApi(a.token), { cache: 'no-store' }).catch(() => null);
    const body = r && r.ok ? await r.json().catch(() => null) : null;
    if (body && body.state) drawAlerts(body);
    else tellAlerts(`Could not check your e-mail alerts just now (no network?)${alertNow.state === 'none' ? '.' : `; last known: ${alertNow.state === 'confirmed' ? 'on' : 'waiting for confirmation'}${alertNow.email ? `, ${alertNow.email}` : ''}.`}`);
  }
  alertForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const email = alertEmail.value.trim();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      fieldError('Enter an e-mail address, e.g. ada@example.org.');
      alertEmail.focus();
      return;
    }
    fieldError('');
    const button = alertForm.querySelector('button');
    button.disabled = true;
    try {
      if (!load().token && !(await makeLink())) return tellAlerts(none.textContent);
      const r = await fetch(alertsApi(load().token), {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email }),
      }).catch(() => null);
      if (!r) return tellAlerts('No network: ask for alerts when you are online again.');
      const body = await r.json().catch(() => ({}));
      if (r.status === 422) {
        fieldError((body.errors && body.errors[0] && body.errors[0].message) ? `E-mail ${body.errors[0].message}.` : body.detail);
        alertEmail.focus();
        return;
      }
      if (!r.ok || !body.state) return tellAlerts(body.detail || 'That did not work; try again in a moment.');
      alertEmail.value = '';
      drawAlerts(body);
      // The form is hidden once alerts are on: the focus goes to what replaces it.
      if (body.state === 'confirmed') alertStop.focus();
    } finally {
      button.disabled = false;
    }
  });
  alertStop.addEventListener('click', async () => {
    const { token } = load();
    alertStop.disabled = true;
    const r = token ? await fetch(alertsApi(token), { method: 'DELETE' }).catch(() => null) : null;
    alertStop.disabled = false;
    if (!r) return tellAlerts('No network: stop the alerts when you are online again, or use the link in any alert.');
    if (!r.ok && r.status !== 404) {
      const body = await r.json().catch(() => ({}));
      return tellAlerts(body.detail || 'That did not work; try again in a moment.');
    }
    drawAlerts({ state: 'none' }, 'Alerts stopped; the address is deleted.');
    alertEmail.focus();
  });

  document.addEventListener('agenda-changed', render);
  (async () => {
    const m = /^#t=([A-Za-z0-9_-]{43})$/.exec(location.hash);
    if (m) {
      history.replaceState(null, '', '/agenda');  // the token leaves the address bar
      if (!(await join(m[1]))) none.textContent = 'That sync link does not work (any more); your stars here are unchanged.';
    } else {
      await pull();
    }
    showLink();
    await render();
    box.dataset.ready = '1';
    // After the agenda, and never holding it up: a slow or failing alerts request only affects its section.
    showAlerts().catch(() => tellAlerts('Could not check your e-mail alerts just now.'));
  })();
})();
