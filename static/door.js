// The door app (issue 19): scan tickets with the phone's camera, check them
// with or without a network, and send what was decided offline when the
// network returns. Libraries, embedded at build time from npm: jsQR (QR
// decoding where the browser has no BarcodeDetector), tweetnacl (Ed25519
// signatures of ticket QR codes, RFC 8032) and idb (IndexedDB).
//
// IndexedDB "marquee-door":
//   tickets  [list, code] → {list, code, name, fold, event_key, state, passed_on, inside, entries, exits, entered_at, entered_device}
//   scans    [device, scan_id] → {device, scan_id, code, direction, at, offline, pending (1|0), failed, list}
//   meta     "device" → this phone's device id; "list:<id>" → {list, events, key, at}
(() => {
  'use strict';
  const root = document.getElementById('main');
  if (!root || !root.dataset.list) return;
  const listId = root.dataset.list;
  const csrf = root.dataset.csrf;
  const $ = (id) => document.getElementById(id);
  const result = $('door-result');
  const pendingText = $('door-pending');
  const net = $('door-net');
  const codeInput = $('door-code');
  const form = $('door-form');
  const REQUEST_MS = 4000;     // a scan waits this long for the server, then decides on the phone
  const BATCH = 500;           // the API's largest batch
  const REFRESH_MS = 60000;    // the list's tickets are fetched again after this long

  const REASONS = {
    unknown_code: ['✗ Unknown code', 'No ticket has this code, or it is forged.'],
    other_event: ['✗ Another event or day', ''],
    cancelled: ['✗ Registration cancelled', ''],
    passed_on: ['✗ Ticket passed on', 'The holder gave this place to someone else: their new ticket has another code.'],
    waitlisted: ['✗ On the waiting list', 'Not confirmed.'],
    already_inside: ['✗ Already inside', ''],
    no_reentry: ['✗ No re-entry at this door', ''],
    not_inside: ['✗ Not inside', ''],
    list_closed: ['✗ This list is closed now', ''],
    room_full: ['✗ Room full', 'As many as the room holds are inside: let someone out first.'],
    released: ['✗ Place released', 'Not checked in in time: the place went to someone waiting.'],
  };

  // --- small helpers -------------------------------------------------------
  const fold = (s) => (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  // The server's normalize_ticket_code (core/registration.hpp).
  const normalize = (t) => (t || '').toUpperCase().replace(/[\s\-._]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  // The ticket code a scan is about: a signed QR payload's own code (core/ticket_signature.hpp), else the text.
  const codeOf = (raw) => {
    if (!raw.startsWith('MQT1.')) return normalize(raw);
    try {
      return normalize(new TextDecoder().decode(fromB64url(raw.split('.')[1])).split('\n')[0]);
    } catch {
      return '';
    }
  };
  const fromB64url = (s) => {
    let b = s.replace(/-/g, '+').replace(/_/g, '/');
    while (b.length % 4) b += '=';
    const bin = atob(b);
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  };
  const timeOf = (iso) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  };
  const newId = () => (crypto.randomUUID ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(''));

  function show(css, headline, detail) {
    result.className = `door-result ${css} flash`;
    result.replaceChildren();
    const h = document.createElement('p');
    h.className = 'headline';
    h.textContent = headline;
    result.append(h);
    if (detail) {
      const d = document.createElement('p');
      d.className = 'detail';
      d.textContent = detail;
      result.append(d);
    }
    if (navigator.vibrate) navigator.vibrate(css === 'bad' ? [120, 60, 120, 60, 300] : [150]);
  }

  // --- storage ---------------------------------------------------------------
  const dbReady = (window.idb ? window.idb.openDB('marquee-door', 1, {
    upgrade(db) {
      db.createObjectStore('tickets', { keyPath: ['list', 'code'] });
      const scans = db.createObjectStore('scans', { keyPath: ['device', 'scan_id'] });
      scans.createIndex('pending', 'pending');
      db.createObjectStore('meta');
    },
  }) : Promise.reject(new Error('no IndexedDB'))).catch(() => null);

  let device = null;
  async function deviceId() {
    if (device) return device;
    const db = await dbReady;
    device = db ? await db.get('meta', 'device') : localStorage.getItem('marquee-door-device');
    if (!device) {
      device = `door-${newId().slice(0, 8)}`;
      if (db) await db.put('meta', device, 'device');
      else localStorage.setItem('marquee-door-device', device);
    }
    return device;
  }

  let listMeta = null;  // {list, events, key, at}
  let refreshedAt = 0;  // when the tickets were last fetched (ms)
  async function loadMeta() {
    const db = await dbReady;
    if (db && !listMeta) listMeta = (await db.get('meta', `list:${listId}`)) || null;
    return listMeta;
  }

  // The list's tickets for offline checks (GET …/tickets), replacing the copy on the phone.
  async function refreshTickets() {
    const db = await dbReady;
    if (!db) return;
    const r = await fetch(`/api/v1/checkin-lists/${listId}/tickets`, {
      credentials: 'same-origin', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(15000),
    });
    if (!r.ok) throw new Error(`tickets: HTTP ${r.status}`);
    const body = await r.json();
    const tx = db.transaction(['tickets', 'meta'], 'readwrite');
    const tickets = tx.objectStore('tickets');
    await tickets.delete(IDBKeyRange.bound([listId, ''], [listId, '\uffff']));
    for (const t of body.tickets)
      tickets.put({ list: listId, code: t.code, name: t.name, fold: t.passed_on ? '' : fold(t.name), event_key: t.event_key, state: t.state, passed_on: !!t.passed_on,
        inside: t.inside, entries: t.entries, exits: t.exits, entered_at: t.entered_at, entered_device: t.entered_device });
    listMeta = { list: body.list, events: body.events, key: body.ticket_key, at: new Date().toISOString() };
    refreshedAt = Date.now();
    tx.objectStore('meta').put(listMeta, `list:${listId}`);
    await tx.done;
  }

  async function pendingScans() {
    const db = await dbReady;
    return db ? db.getAllFromIndex('scans', 'pending', 1) : [];
  }

  async function showPending() {
    const n = (await pendingScans()).filter((s) => s.list === listId).length;
    pendingText.hidden = n === 0;
    pendingText.textContent = n === 1 ? '1 scan waiting to be sent' : `${n} scans waiting to be sent`;
  }

  function showNet(online, note) {
    net.hidden = false;
    net.classList.toggle('offline', !online);
    net.textContent = online ? 'Online' : (note || 'Offline');
  }

  // --- the server ------------------------------------------------------------
  class Unreachable extends Error {}  // no answer: the phone decides
  class SignedOut extends Error {}    // 401/403: the session ended or this list is not this user's
  class Rejected extends Error {      // 4xx: the server refused the request itself
    constructor(message, fields) { super(message); this.fields = fields; }
  }

  // The session ended: the kept copy of the page (which holds the CSRF token) goes; the scans stay to be sent later.
  function signedOut(detail) {
    showNet(false, 'Signed out');
    show('bad', '✗ Signed out', `${detail || 'Sign in again to go on scanning.'} Scans not yet sent are kept on this phone.`);
    if (window.caches) caches.delete('marquee-door-pages-v1');
  }

  async function postScans(scans) {
    let r;
    try {
      r = await fetch(`/api/v1/checkin-lists/${listId}/scans`, {
        method: 'POST', credentials: 'same-origin', signal: AbortSignal.timeout(REQUEST_MS),
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ scans: scans.map(({ device: d, scan_id: id, code, direction, at, offline }) =>
          ({ device: d, scan_id: id, code, direction, ...(at ? { at } : {}), offline: !!offline })) }),
      });
    } catch (e) {
      throw new Unreachable(String(e));
    }
    if (r.status >= 500) throw new Unreachable(`HTTP ${r.status}`);
    const body = await r.json().catch(() => ({}));
    if (r.status === 401 || r.status === 403) throw new SignedOut(body.detail || '');
    if (!r.ok) throw new Rejected(body.detail || `HTTP ${r.status}`, (body.errors || []).map((e) => e.field));
    showNet(true);
    return body.results;
  }

  let syncing = false;
  // Sends the scans decided offline, oldest first, in batches; each is idempotent (device + scan id).
  // A scan the server refuses as invalid (422) is kept, marked failed, and does not hold up the others.
  async function sync() {
    if (syncing) return;
    syncing = true;
    try {
      const db = await dbReady;
      let waiting = (await pendingScans()).filter((s) => s.list === listId).sort((a, b) => a.at.localeCompare(b.at));
      const sent = waiting.length > 0;
      while (waiting.length) {
        const batch = waiting.slice(0, BATCH);
        let failed = [];
        try {
          await postScans(batch);
        } catch (e) {
          if (!(e instanceof Rejected)) throw e;
          const bad = new Set(e.fields.map((f) => Number((/^scans\[(\d+)\]/.exec(f) || [])[1])).filter((n) => !Number.isNaN(n)));
          failed = bad.size ? batch.filter((_, i) => bad.has(i)) : batch;
          console.warn('door sync: the server refused', failed.length, 'scans:', e.message);
        }
        const tx = db.transaction('scans', 'readwrite');
        for (const s of failed) tx.store.put({ ...s, pending: 0, failed: true });
        await tx.done;
        // What was refused is set aside; the rest is sent again (replays answer as before) or was sent.
        if (failed.length && failed.length < batch.length) {
          waiting = waiting.filter((s) => !failed.includes(s));
          continue;
        }
        if (!failed.length) {
          const done = db.transaction('scans', 'readwrite');
          for (const s of batch) done.store.put({ ...s, pending: 0 });
          await done.done;
        }
        waiting = waiting.slice(batch.length);
      }
      if (navigator.onLine !== false && (sent || Date.now() - refreshedAt >= REFRESH_MS)) await refreshTickets();
    } catch (e) {
      if (e instanceof SignedOut) signedOut(e.message);
      else if (!(e instanceof Unreachable)) console.warn('door sync', e);
      else if (navigator.onLine === false) showNet(false);
    } finally {
      syncing = false;
      await showPending();
    }
  }

  // --- deciding on the phone (no network) -----------------------------------------
  function verifySigned(raw, key) {
    if (!key || !window.nacl) return null;
    try {
      const [, msg, sig] = raw.split('.');
      const m = fromB64url(msg), s = fromB64url(sig);
      if (!window.nacl.sign.detached.verify(m, s, fromB64url(key))) return null;
      const [code, event, until] = new TextDecoder().decode(m).split('\n');
      return { code, event_key: event, valid_until: Number(until) };
    } catch {
      return null;
    }
  }

  // core/checkin_rules.hpp, with what the phone knows.
  async function decideHere(raw, direction, now) {
    const meta = await loadMeta();
    const db = await dbReady;
    let code = normalize(raw), claim = null;
    if (raw.startsWith('MQT1.')) {
      claim = verifySigned(raw, meta && meta.key);
      if (!claim) return { outcome: 'refused', reason: 'unknown_code', detail: 'The signature does not match: a forged or foreign ticket.' };
      code = normalize(claim.code);
    }
    const events = (meta && meta.events) || [];
    const title = (key) => (events.find((e) => e.key === key) || {}).title || key;
    let ticket = db ? await db.get('tickets', [listId, code]) : null;
    if (!ticket && claim) {
      // A ticket made after the phone's copy of the list: its signature vouches for it.
      if (claim.valid_until * 1000 < now.getTime() || !events.some((e) => e.key === claim.event_key))
        return { outcome: 'refused', reason: 'other_event', detail: title(claim.event_key) };
      ticket = { list: listId, code, name: '(ticket verified by its signature)', fold: '', event_key: claim.event_key, state: 'confirmed', inside: false };
    }
    if (!ticket) return { outcome: 'refused', reason: 'unknown_code' };
    const detail = `${ticket.name} · ${title(ticket.event_key)}`;
    if (!events.some((e) => e.key === ticket.event_key)) return { outcome: 'refused', reason: 'other_event', detail };
    if (ticket.passed_on) return { outcome: 'refused', reason: 'passed_on', detail: title(ticket.event_key) };
    if (ticket.state === 'cancelled') return { outcome: 'refused', reason: 'cancelled', detail };
    if (ticket.state === 'waitlisted') return { outcome: 'refused', reason: 'waitlisted', detail };
    const list = (meta && meta.list) || {};
    if ((list.opens_at && now < new Date(list.opens_at)) || (list.closes_at && now >= new Date(list.closes_at)))
      return { outcome: 'refused', reason: 'list_closed', detail };
    if (direction === 'entry') {
      if (ticket.inside) {
        const when = ticket.entered_at ? ` · came in at ${timeOf(ticket.entered_at)}${ticket.entered_device ? ` through ${ticket.entered_device}` : ''}` : '';
        return { outcome: 'refused', reason: 'already_inside', detail: detail + when };
      }
      if ((ticket.entries || 0) > 0 && !list.allow_reentry) return { outcome: 'refused', reason: 'no_reentry', detail };
      return { outcome: 'admitted', detail, ticket: { ...ticket, inside: true, entries: (ticket.entries || 0) + 1,
        entered_at: now.toISOString(), entered_device: await deviceId() } };
    }
    if (!ticket.inside) return { outcome: 'refused', reason: 'not_inside', detail };
    return { outcome: 'exited', detail, ticket: { ...ticket, inside: false, exits: (ticket.exits || 0) + 1 } };
  }

  function showServer(r) {
    const name = r.attendee ? r.attendee.name : '';
    const meta = listMeta || {};
    const event = ((meta.events || []).find((e) => e.key === r.event_key) || {}).title || r.event_key || '';
    const detail = [name, event].filter(Boolean).join(' · ');
    if (r.outcome === 'admitted') return show('good', '✓ Admitted', detail);
    if (r.outcome === 'exited') return show('out', '↤ Let out', detail);
    if (r.outcome === 'duplicate') return show('good', '✓ Recorded (was already inside)', detail);
    const [headline, fixed] = REASONS[r.reason] || ['✗ Refused', ''];
    let more = detail || fixed;
    if (r.reason === 'room_full' || r.reason === 'released') more = [detail, fixed].filter(Boolean).join(' · ');  // what to do matters here
    if (r.reason === 'already_inside' && r.presence && r.presence.entered_at)
      more += ` · came in at ${timeOf(r.presence.entered_at)}${r.presence.entered_device ? ` through ${r.presence.entered_device}` : ''}`;
    return show('bad', headline, more);
  }

  // Keeps the phone's copy of a ticket in step with what the server answered.
  async function remember(r, code) {
    const db = await dbReady;
    if (!db || !r.presence) return;
    const t = await db.get('tickets', [listId, code]);
    if (!t) return;
    await db.put('tickets', { ...t, inside: r.presence.inside, entries: r.presence.entries, exits: r.presence.exits,
      entered_at: r.presence.entered_at, entered_device: r.presence.entered_device });
  }

  // --- a scan ------------------------------------------------------------------
  // Scans are checked one after the other, in the order they came (typed, tapped or seen by the camera).
  // The result's data-checking is "true" from a scan until the last one queued has been answered. (Not aria-busy:
  // a screen reader may hold back a busy live region's news, and a refused ticket must be heard at once.)
  let queue = Promise.resolve();
  let checking = 0;
  const check = (raw) => {
    checking += 1;
    result.dataset.checking = 'true';
    return (queue = queue.then(() => checkNow(raw)).catch((e) => console.warn('door check', e)).finally(() => {
      checking -= 1;
      if (checking === 0) result.dataset.checking = 'false';
    }));
  };
  // After a scan the code box takes the focus for the next ticket when the focus is nowhere (a match button,
  // gone once tapped) or still on the code box or its Check button. A volunteer who has moved on while the scan
  // was checked (typing a name in the search box, the camera's buttons, In or Out) keeps the focus and what
  // they typed.
  const checkButton = form.querySelector('button[type=submit]');
  function focusNextTicket() {
    const at = document.activeElement;
    if (!at || at === document.body || at === codeInput || at === checkButton) codeInput.focus();
  }

  async function checkNow(raw) {
    raw = (raw || '').trim();
    if (!raw) return;
    const direction = (form.querySelector('input[name=direction]:checked') || {}).value || 'entry';
    const now = new Date();
    const scan = { device: await deviceId(), scan_id: newId(), code: raw, direction, list: listId };
    const code = codeOf(raw);
    if (navigator.onLine !== false) {
      try {
        // Online, the server's clock decides (opening hours, which entry came first).
        const [r] = await postScans([scan]);
        showServer(r);
        const db = await dbReady;
        if (db) await db.put('scans', { ...scan, at: now.toISOString(), pending: 0 });
        if (code) await remember(r, code);
        return;
      } catch (e) {
        if (e instanceof SignedOut) return signedOut(e.message);
        if (e instanceof Rejected) return show('bad', '✗ Not checked', e.message);
        if (!(e instanceof Unreachable)) throw e;
      }
    }
    showNet(false);
    scan.at = now.toISOString();
    const d = await decideHere(raw, direction, now);
    if (d.outcome === 'refused') {
      const [headline, fixed] = REASONS[d.reason] || ['✗ Refused', ''];
      show('bad', headline, d.detail || fixed);
      return;
    }
    // Decided here: the person is past the gate, so the server records rather than refuses it later.
    const db = await dbReady;
    if (db) {
      const tx = db.transaction(['scans', 'tickets'], 'readwrite');
      tx.objectStore('scans').put({ ...scan, offline: true, pending: 1 });
      tx.objectStore('tickets').put(d.ticket);
      await tx.done;
    }
    show(d.outcome === 'admitted' ? 'good' : 'out', d.outcome === 'admitted' ? '✓ Admitted (offline)' : '↤ Let out (offline)', d.detail);
    await showPending();
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const value = codeInput.value;
    codeInput.value = '';
    check(value).finally(focusNextTicket);
  });

  // --- find by name ----------------------------------------------------------
  const searchBox = $('door-search-box');
  const search = $('door-search');
  const matches = $('door-matches');
  dbReady.then((db) => { if (db) searchBox.hidden = false; });
  search.addEventListener('input', async () => {
    const q = fold(search.value.trim());
    matches.replaceChildren();
    if (q.length < 2) return;
    const db = await dbReady;
    const all = db ? await db.getAll('tickets', IDBKeyRange.bound([listId, ''], [listId, '\uffff'])) : [];
    for (const t of all.filter((x) => x.fold.includes(q)).slice(0, 8)) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      const n = document.createElement('span');
      n.className = 'name';
      n.textContent = t.name;
      const m = document.createElement('span');
      m.className = 'meta';
      m.textContent = `${t.state}${t.inside ? ' · inside' : ''} · …${t.code.slice(-4)}`;
      b.append(n, m);
      b.addEventListener('click', () => {
        search.value = '';
        matches.replaceChildren();
        check(t.code).finally(focusNextTicket);
      });
      li.append(b);
      matches.append(li);
    }
  });

  // --- the camera ------------------------------------------------------------
  const camera = $('door-camera');
  const video = $('door-video');
  const start = $('door-camera-start');
  const stop = $('door-camera-stop');
  let stream = null, last = '', lastAt = 0, detector = null, canvas = null;
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) camera.hidden = false;

  async function readFrame() {
    if (detector) {
      const codes = await detector.detect(video);
      return codes.length ? codes[0].rawValue : null;
    }
    if (!window.jsQR || !video.videoWidth) return null;
    canvas = canvas || document.createElement('canvas');
    const scale = Math.min(1, 640 / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const found = window.jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' });
    return found ? found.data : null;
  }

  async function loop() {
    if (!stream) return;
    try {
      const text = await readFrame();
      // The same code stays in view for a while: one check per code every 3 s.
      if (text && (text !== last || Date.now() - lastAt > 3000)) {
        last = text;
        lastAt = Date.now();
        await check(text);
      }
    } catch (e) {
      console.warn('door camera', e);
    }
    setTimeout(loop, 150);
  }

  start.addEventListener('click', async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
    } catch (e) {
      show('bad', '✗ No camera', 'Allow the camera for this site, or type the code.');
      return;
    }
    if ('BarcodeDetector' in window) {
      try {
        if ((await window.BarcodeDetector.getSupportedFormats()).includes('qr_code'))
          detector = new window.BarcodeDetector({ formats: ['qr_code'] });
      } catch { detector = null; }
    }
    video.srcObject = stream;
    video.hidden = false;
    stop.hidden = false;
    start.hidden = true;
    await video.play();
    loop();
  });
  stop.addEventListener('click', () => {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  });

  // --- signing out: the list's personal data leaves the phone --------------------
  const signOut = document.querySelector('.door-foot form');
  if (signOut) signOut.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const n = (await pendingScans()).length;
    if (n && !window.confirm(`${n === 1 ? '1 scan has' : `${n} scans have`} not been sent yet. Sign out and lose ${n === 1 ? 'it' : 'them'}?`)) return;
    const db = await dbReady;
    if (db) db.close();
    await new Promise((done) => { const r = indexedDB.deleteDatabase('marquee-door'); r.onsuccess = r.onerror = r.onblocked = done; });
    if (window.caches) await caches.delete('marquee-door-pages-v1');
    signOut.submit();
  });

  // --- offline app -------------------------------------------------------------
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/door/sw.js', { scope: '/door' }).catch(() => {});
  window.addEventListener('online', () => { showNet(true); sync(); });
  window.addEventListener('offline', () => showNet(false));
  showNet(navigator.onLine !== false);
  loadMeta().then(showPending).then(() => (navigator.onLine !== false ? sync() : null));
  setInterval(() => { if (navigator.onLine !== false) sync(); }, 15000);
  // For tests and the curious: the state of the phone's queue.
  root.dataset.ready = '1';
})();
