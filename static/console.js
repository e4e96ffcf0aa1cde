// Marquee console: progressive enhancement of the server-rendered pages.
// Without this script every page still works (forms post and redirect).
// With it: htmx sends the CSRF token on its requests, and the events sheet
// gets inline editing and keyboard navigation.
(function () {
  'use strict';
  var csrf = document.querySelector('meta[name="csrf-token"]');
  document.addEventListener('htmx:configRequest', function (e) {
    if (csrf) e.detail.headers['X-CSRF-Token'] = csrf.content;
  });
  document.addEventListener('DOMContentLoaded', function () {
    if (window.htmx) {
      // Refused edits (409 conflict, 422 invalid) come back as a row to show.
      htmx.config.responseHandling = [
        { code: '204', swap: false },
        { code: '[23]..', swap: true },
        { code: '409|422', swap: true, error: false },
        { code: '[45]..', swap: false, error: true }
      ];
    }
  });

  function cells(row) { return Array.prototype.slice.call(row.querySelectorAll('td.cell[tabindex]')); }

  function move(td, dRow, dCol) {
    var row = td.parentElement;
    var col = cells(row).indexOf(td);
    if (dRow) {
      var next = dRow > 0 ? row.nextElementSibling : row.previousElementSibling;
      if (next) { var c = cells(next)[col]; if (c) c.focus(); }
    } else {
      var list = cells(row); var t = list[col + dCol]; if (t) t.focus();
    }
  }

  function edit(td) {
    if (!window.htmx || td.querySelector('form')) return;
    var row = td.parentElement;
    var key = row.getAttribute('data-key');
    var field = td.getAttribute('data-field');
    var form = document.createElement('form');
    form.className = 'cell-editor';
    form.setAttribute('method', 'post');
    form.setAttribute('action', '/admin/events/' + encodeURIComponent(key) + '/cell');
    form.setAttribute('hx-post', form.getAttribute('action'));
    form.setAttribute('hx-target', 'closest tr');
    form.setAttribute('hx-swap', 'outerHTML');
    function hidden(name, value) {
      var i = document.createElement('input'); i.type = 'hidden'; i.name = name; i.value = value; form.appendChild(i);
    }
    hidden('field', field);
    hidden('version', row.getAttribute('data-version'));
    if (csrf) hidden('csrf_token', csrf.content);
    var input = document.createElement('input');
    input.name = 'value';
    input.value = td.getAttribute('data-value');
    input.setAttribute('aria-label', td.getAttribute('data-label') || field);
    form.appendChild(input);
    var before = Array.prototype.slice.call(td.childNodes);
    var refused = td.querySelector('.cell-error');
    td.replaceChildren(form);
    if (refused) {
      // A refused edit comes back with what was typed: keep it, with the reason under it.
      var reason = refused.cloneNode(true);
      reason.id = 'cell-error-' + key + '-' + field;
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', reason.id);
      form.appendChild(reason);
    }
    htmx.process(form);
    input.focus();
    input.select();
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') {
        // Escape gives up the edit and clears its error: the cell shows what is stored.
        e.preventDefault();
        td.replaceChildren.apply(td, before.filter(function (n) { return !(n.classList && n.classList.contains('cell-error')); }));
        if (td.hasAttribute('data-stored')) { td.setAttribute('data-value', td.getAttribute('data-stored')); td.removeAttribute('data-stored'); }
        td.classList.remove('has-error');
        td.focus();
      }
      if (e.key === 'Enter') { e.preventDefault(); sessionStorage.setItem('marquee-focus', key + '|' + field); htmx.trigger(form, 'submit'); }
    });
  }

  document.addEventListener('keydown', function (e) {
    var td = e.target;
    if (!td.matches || !td.matches('td.cell[tabindex]')) return;
    if (e.key === 'Enter' || e.key === 'F2') { e.preventDefault(); edit(td); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); move(td, 1, 0); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); move(td, -1, 0); }
    else if (e.key === 'ArrowRight') { e.preventDefault(); move(td, 0, 1); }
    else if (e.key === 'ArrowLeft') { e.preventDefault(); move(td, 0, -1); }
  });
  document.addEventListener('click', function (e) {
    var td = e.target.closest && e.target.closest('td.cell[tabindex]');
    if (td && !e.target.closest('form')) edit(td);
  });
  // After a row comes back, focus the edited cell again.
  document.addEventListener('htmx:afterSwap', function () {
    var want = sessionStorage.getItem('marquee-focus');
    if (!want) return;
    sessionStorage.removeItem('marquee-focus');
    var parts = want.split('|');
    var row = document.getElementById('row-' + parts[0]);
    var td = row && row.querySelector('td[data-field="' + parts[1] + '"]');
    if (!td) return;
    td.focus();
    if (td.classList.contains('has-error')) edit(td);  // reopen with the typed value
  });
})();
