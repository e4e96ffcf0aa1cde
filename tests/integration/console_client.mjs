// A console user over HTTP: signs in through the login form (CSRF cookie),
// keeps the session cookie and sends the session's CSRF token with posts.
import assert from 'node:assert/strict';

import { request } from './lib.mjs';

export function cookieFrom(res, name) {
  const all = [].concat(res.headers['set-cookie'] || []);
  const c = all.find((x) => x.startsWith(`${name}=`));
  return c ? { value: c.split(';')[0].slice(name.length + 1), raw: c } : null;
}

export class ConsoleClient {
  constructor(url) { this.url = url; }

  async signIn(email, password) {
    const form = await request(`${this.url}/admin/login`);
    const csrf = cookieFrom(form, 'marquee_login_csrf').value;
    const res = await request(`${this.url}/admin/login`, {
      method: 'POST', body: new URLSearchParams({ email, password, csrf_token: csrf }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `marquee_login_csrf=${csrf}` },
    });
    assert.equal(res.status, 303, `sign-in of ${email}`);
    this.session = cookieFrom(res, 'marquee_session').value;
    const dash = await this.get('/admin');
    this.csrf = dash.headers['x-csrf-token'];
    assert.ok(this.csrf);
    return this;
  }

  get(path, headers = {}) {
    return request(`${this.url}${path}`, { headers: { cookie: `marquee_session=${this.session}`, ...headers } });
  }

  /** Posts a urlencoded form (fields: object or array of pairs) with the CSRF token unless `csrf` is false. */
  post(path, fields = {}, { csrf = true, headers = {} } = {}) {
    const params = new URLSearchParams(fields);
    if (csrf) params.append('csrf_token', this.csrf);
    return request(`${this.url}${path}`, {
      method: 'POST', body: params.toString(),
      headers: { cookie: `marquee_session=${this.session}`, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
  }

  /** Posts multipart/form-data (RFC 7578) with one file (its field: file.field, default "file"). */
  upload(path, fields, file) {
    const boundary = `----marquee${Date.now()}`;
    const parts = [];
    for (const [k, v] of Object.entries({ ...fields, csrf_token: this.csrf }))
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n`));
    parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
    parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
    return request(`${this.url}${path}`, {
      method: 'POST', body: Buffer.concat(parts),
      headers: { cookie: `marquee_session=${this.session}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
  }
}

/** The data-version of a sheet row. */
export function rowVersion(html, key) {
  const m = html.match(new RegExp(`id="row-${key}" data-key="${key}" data-version="(\\d+)"`));
  assert.ok(m, `row ${key} is on the page`);
  return m[1];
}
