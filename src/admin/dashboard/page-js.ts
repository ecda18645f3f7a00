/**
 * The dashboard's script: plain browser JavaScript, no build step. It draws
 * every view from the JSON API, charts as SVG, and stays live through one
 * EventSource (task events and overview pushes from the server); a list on
 * screen is re-read when an event says it changed, never on a timer.
 * Actions POST to /api/action with the page's CSRF token. The live event
 * list is kept in the order the events happened (event-order.ts, whose
 * function is embedded here as written).
 */
import { mergeLiveEvents } from './event-order.js';

export const APP_JS = String.raw`
(function () {
  'use strict';
  var body = document.body;
  var READ_ONLY = body.dataset.readOnly === 'true';
  var FROM_APP = body.dataset.fromApp === 'true';
  var CSRF = document.querySelector('meta[name="csrf-token"]').content;
  var main = document.getElementById('main');
  var state = { overview: null, events: [], hub: '', view: '', refresh: null };
  var mergeLiveEvents = ${mergeLiveEvents.toString()};

  function esc(v) {
    return String(v === null || v === undefined ? '' : v).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }
  function brief(v, n) {
    var s; try { s = typeof v === 'string' ? v : JSON.stringify(v); } catch (e) { s = String(v); }
    if (s === undefined) s = '';
    n = n || 80; return s.length > n ? s.slice(0, n - 1) + '…' : s;
  }
  function ago(t) {
    if (t === null || t === undefined) return '-';
    var ms = typeof t === 'number' ? t : Date.parse(t); var d = (Date.now() - ms) / 1000; var a = Math.abs(d);
    var s = a < 60 ? Math.round(a) + 's' : a < 3600 ? Math.round(a / 60) + 'm' : a < 86400 ? Math.round(a / 3600) + 'h' : Math.round(a / 86400) + 'd';
    return '<span title="' + esc(new Date(ms).toISOString()) + '">' + (d >= 0 ? s + ' ago' : 'in ' + s) + '</span>';
  }
  function toast(text) {
    var t = document.getElementById('toast'); t.textContent = text; t.hidden = false;
    clearTimeout(toast.timer); toast.timer = setTimeout(function () { t.hidden = true; }, 3500);
  }
  function api(path) {
    return fetch(path, { credentials: 'same-origin' }).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || r.statusText); return j; });
    });
  }
  function post(action) {
    return fetch('/api/action', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-csrf-token': CSRF }, body: JSON.stringify(action) })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || r.statusText); return j; }); });
  }
  function btn(label, action, cls) {
    if (READ_ONLY) return '';
    return '<button class="' + (cls || '') + '" data-act="' + esc(JSON.stringify(action)) + '">' + esc(label) + '</button> ';
  }
  function taskLink(id) { return id ? '<a class="mono" href="#/task/' + encodeURIComponent(id) + '">' + esc(id.slice(0, 12)) + '</a>' : '-'; }

  // --- charts -------------------------------------------------------------------------------
  // Four grid steps of 1, 2 or 5 times a power of ten, so every label is a whole number.
  function niceMax(v) { var raw = Math.max(1, v / 4); var p = Math.pow(10, Math.floor(Math.log10(raw))); var m = raw / p; return 4 * (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p; }
  function axis(W, H, L, B, max, rows, out) {
    for (var i = 0; i <= 4; i++) {
      var y = H - B - (H - B - 8) * i / 4;
      out.push('<line x1="' + L + '" x2="' + W + '" y1="' + y + '" y2="' + y + '" stroke="currentColor" stroke-opacity=".12"/>');
      out.push('<text x="' + (L - 6) + '" y="' + (y + 4) + '" text-anchor="end" font-size="10" fill="currentColor" fill-opacity=".6">' + Math.round(max * i / 4) + '</text>');
    }
    var bw = (W - L) / rows.length;
    rows.forEach(function (r, i) {
      var d = new Date(r.minute);
      if (d.getMinutes() % 10 === 0) out.push('<text x="' + (L + bw * i + bw / 2) + '" y="' + (H - 4) + '" text-anchor="middle" font-size="10" fill="currentColor" fill-opacity=".6">' + String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0') + '</text>');
    });
    return bw;
  }
  function throughputChart(rows) {
    var W = 640, H = 190, L = 34, B = 18;
    var max = niceMax(Math.max.apply(null, rows.map(function (r) { return r.finished + r.failed + r.retried; }).concat([1])));
    var out = ['<svg viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="tasks per minute">'];
    var bw = axis(W, H, L, B, max, rows, out);
    var scale = (H - B - 8) / max;
    rows.forEach(function (r, i) {
      var x = L + bw * i + 1, y = H - B;
      [['finished', 'var(--ok)'], ['failed', 'var(--bad)'], ['retried', 'var(--warn)']].forEach(function (k) {
        var h = r[k[0]] * scale; if (!h) return; y -= h;
        out.push('<rect x="' + x.toFixed(1) + '" y="' + y.toFixed(1) + '" width="' + Math.max(1, bw - 2).toFixed(1) + '" height="' + h.toFixed(1) + '" fill="' + k[1] + '" rx="1"><title>' + k[0] + ': ' + r[k[0]] + '</title></rect>');
      });
    });
    out.push('</svg>');
    return out.join('') + '<div class="legend"><span><i style="background:var(--ok)"></i>finished</span><span><i style="background:var(--bad)"></i>failed</span><span><i style="background:var(--warn)"></i>retried</span><span>per minute</span></div>';
  }
  function depthChart(rows) {
    var W = 640, H = 150, L = 34, B = 18;
    var vals = rows.map(function (r) { return r.depth; });
    var max = niceMax(Math.max.apply(null, vals.filter(function (v) { return v !== null; }).concat([1])));
    var out = ['<svg viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="queue depth">'];
    var bw = axis(W, H, L, B, max, rows, out);
    var pts = [];
    vals.forEach(function (v, i) { if (v !== null) pts.push((L + bw * i + bw / 2).toFixed(1) + ',' + (H - B - v * (H - B - 8) / max).toFixed(1)); });
    if (pts.length > 1) out.push('<polyline points="' + pts.join(' ') + '" fill="none" stroke="var(--depth)" stroke-width="2" stroke-linejoin="round"/>');
    pts.forEach(function (p) { var xy = p.split(','); out.push('<circle cx="' + xy[0] + '" cy="' + xy[1] + '" r="2.5" fill="var(--depth)"/>'); });
    out.push('</svg>');
    return out.join('') + '<div class="legend"><span><i style="background:var(--depth)"></i>queue length (average per minute)</span></div>';
  }

  // --- views ----------------------------------------------------------------------------------
  function eventItem(e) {
    var cls = /error|locked/.test(e.status) ? 'bad' : e.status === 'finished' ? 'ok' : /retrying|revoked|expired/.test(e.status) ? 'warn' : '';
    var t = new Date(e.timestamp ? e.timestamp * 1000 : e.at);
    return '<li><time>' + esc(t.toTimeString().slice(0, 8)) + '</time><span class="pill ' + cls + '">' + esc(e.status) + '</span> <b>' + esc(e.task || '') + '</b> ' + taskLink(e.id) + '</li>';
  }
  function overviewView() {
    var o = state.overview;
    if (!o) return '<p class="muted">Loading…</p>';
    var stat = function (n, l, cls) { return '<div class="card stat ' + (cls || '') + '"><div class="n">' + n + '</div><div class="l">' + l + '</div></div>'; };
    var live = o.consumers.filter(function (c) { return c.alive; }).length;
    var h = '<div class="cards">' + stat(o.pending, 'pending') + stat(o.scheduled, 'scheduled') + stat(o.inflight, 'in flight') + stat(o.results, 'results') +
      stat(o.errors, 'errors', o.errors ? 'bad' : '') + stat(o.locks, 'locks held') + stat(live, 'consumers', live ? '' : 'bad') + '</div>';
    h += '<div class="grid2"><div class="card"><h2>Tasks per minute · last ' + o.throughput.length + ' minutes</h2>' + throughputChart(o.throughput) + '</div>';
    h += '<div class="card"><h2>Live events</h2><ul class="events">' + (state.events.slice(-12).reverse().map(eventItem).join('') || '<li class="muted">No events yet.</li>') + '</ul></div></div>';
    h += '<div class="grid2"><div class="card"><h2>Queue length</h2>' + depthChart(o.throughput) + '</div>';
    h += '<div class="card"><h2>Task controls</h2>' + (READ_ONLY ? '<p class="muted">Read-only dashboard.</p>' :
      '<div class="toolbar"><input id="ctl-task" placeholder="task name" list="task-names"><datalist id="task-names"></datalist></div><div class="toolbar">' +
      '<button data-ctl="pause">Pause</button><button data-ctl="resume">Resume</button><button data-ctl="revoke" class="danger">Revoke all</button><button data-ctl="restore">Restore all</button><button data-ctl="retry">Retry failed</button></div>' +
      '<p class="muted">Pause stops a task name on every consumer; queued ones wait.</p>') + '</div></div>';
    h += '<div class="card"><h2>Consumers</h2><div class="scroll"><table><tr><th>consumer</th><th>state</th><th>host / pid</th><th>workers</th><th>since</th><th>last beat</th><th>tasks run</th><th>running</th></tr>' +
      (o.consumers.map(function (c) {
        return '<tr><td class="mono">' + esc(c.id) + '</td><td><span class="pill ' + (c.alive ? 'ok' : 'bad') + '">' + (c.alive ? 'alive' : 'dead') + '</span></td><td>' + esc(c.host) + ' / ' + esc(c.pid) +
          '</td><td>' + esc(c.workers) + ' ' + esc(c.kind) + '</td><td>' + ago(c.since) + '</td><td>' + ago(c.beat) + '</td><td>' + (c.tasksRun === null ? '-' : esc(c.tasksRun)) +
          '</td><td>' + c.running.map(function (r) { return esc(r.task) + ' ' + taskLink(r.id); }).join('<br>') + '</td></tr>';
      }).join('') || '<tr><td colspan="8" class="muted">No consumer has reported.</td></tr>') + '</table></div>' +
      (o.consumers.some(function (c) { return !c.alive; }) ? '<div class="toolbar" style="margin-top:10px">' + btn('Forget dead consumers', { action: 'flush', what: 'consumers' }) + '</div>' : '') + '</div>';
    return h;
  }
  var LIST_TITLES = { pending: 'Pending', scheduled: 'Scheduled', inflight: 'In flight', errors: 'Errors', results: 'Results' };
  function listView(kind, rows, filter) {
    var h = '<div class="toolbar"><h2 style="margin:0">' + LIST_TITLES[kind] + ' <span class="muted">(' + rows.length + ')</span></h2><input id="filter" placeholder="filter by task name" value="' + esc(filter) + '">';
    if (kind === 'errors') h += btn('Retry all' + (filter ? ' ' + filter : ''), { action: 'retry', all: true, task: filter || undefined }, 'primary') + btn('Flush errors', { action: 'flush', what: 'errors', confirm: true }, 'danger');
    if (kind === 'scheduled') h += btn('Promote all' + (filter ? ' ' + filter : ''), { action: 'promote', all: true, task: filter || undefined }) + btn('Flush schedule', { action: 'flush', what: 'schedule', confirm: true }, 'danger');
    if (kind === 'pending') h += btn('Flush queue', { action: 'flush', what: 'queue', confirm: true }, 'danger');
    if (kind === 'results') h += btn('Flush results', { action: 'flush', what: 'results', confirm: true }, 'danger');
    h += '</div><div class="card scroll"><table>';
    if (kind === 'errors') {
      h += '<tr><th>task</th><th>id</th><th>error</th><th>retries left</th><th></th></tr>' + rows.map(function (e) {
        return '<tr><td>' + esc(e.task) + '</td><td>' + taskLink(e.id) + '</td><td><details><summary>' + esc(brief(e.error, 90)) + '</summary><pre>' + esc(e.traceback) + '</pre></details></td><td>' + esc(e.retries) + '</td><td style="white-space:nowrap">' +
          (e.id && e.message ? btn('Retry', { action: 'retry', id: e.id }, 'primary') : '') + (e.id ? btn('Delete', { action: 'delete', from: 'errors', id: e.id }, 'danger') : '') + '</td></tr>';
      }).join('');
    } else if (kind === 'results') {
      h += '<tr><th>id</th><th>kind</th><th>value / error</th><th></th></tr>' + rows.map(function (r) {
        return '<tr><td>' + taskLink(r.id) + '</td><td><span class="pill ' + (r.kind === 'error' ? 'bad' : 'ok') + '">' + r.kind + '</span></td><td class="mono">' + esc(brief(r.kind === 'error' ? r.error.error : r.value, 120)) + '</td><td>' + btn('Delete', { action: 'delete', from: 'results', id: r.id }, 'danger') + '</td></tr>';
      }).join('');
    } else {
      h += '<tr><th>task</th><th>id</th><th>args</th><th>' + (kind === 'inflight' ? 'consumer' : 'eta') + '</th><th>retries</th><th></th></tr>' + rows.map(function (t) {
        var acts = kind === 'scheduled' ? btn('Run now', { action: 'promote', id: t.id }, 'primary') + btn('Revoke', { action: 'revoke', id: t.id }) + btn('Delete', { action: 'delete', from: 'scheduled', id: t.id }, 'danger')
          : kind === 'pending' ? btn('Revoke', { action: 'revoke', id: t.id }) + btn('Delete', { action: 'delete', from: 'pending', id: t.id }, 'danger') : '';
        return '<tr><td>' + esc(t.task) + '</td><td>' + taskLink(t.id) + '</td><td class="mono">' + esc(brief(t.args, 80)) + '</td><td>' + (kind === 'inflight' ? '<span class="mono">' + esc(t.consumer || '-') + '</span> ' + ago(t.since) : ago(t.eta)) + '</td><td>' + esc(t.retries) + '</td><td style="white-space:nowrap">' + acts + '</td></tr>';
      }).join('');
    }
    if (!rows.length) h += '<tr><td colspan="6" class="muted">Nothing here.</td></tr>';
    return h + '</table></div>';
  }
  function taskView(d) {
    var pill = { finished: 'ok', failed: 'bad', pending: '', scheduled: 'warn', 'in-flight': 'warn', unknown: '' }[d.state];
    var h = '<div class="card"><div class="toolbar"><h2 style="margin:0" class="mono">' + esc(d.id) + '</h2><span class="pill ' + pill + '" id="task-state">' + esc(d.state) + '</span>' +
      (d.revoked ? '<span class="pill warn">revoked' + (d.once ? ' once' : '') + '</span>' : '') + '</div>';
    if (d.task) h += '<table><tr><th>task</th><td>' + esc(d.task.task) + '</td></tr><tr><th>args</th><td class="mono">' + esc(brief(d.task.args, 400)) + '</td></tr><tr><th>eta</th><td>' + ago(d.task.eta) + '</td></tr><tr><th>retries left</th><td>' + esc(d.task.retries) + '</td></tr>' + (d.task.consumer ? '<tr><th>consumer</th><td class="mono">' + esc(d.task.consumer) + '</td></tr>' : '') + '</table>';
    if (d.state === 'finished') h += '<h2 style="margin-top:14px">Result</h2><pre>' + esc(JSON.stringify(d.result, null, 2)) + '</pre>';
    if (d.error) h += '<h2 style="margin-top:14px">Error</h2><pre>' + esc(d.error.traceback || d.error.error) + '</pre>';
    if (d.failures.length) h += '<p class="muted">' + d.failures.length + ' failed run(s) in the error list.</p>';
    h += '<div class="toolbar" style="margin-top:12px">' + (d.failures.length ? btn('Retry', { action: 'retry', id: d.id }, 'primary') : '') + (d.state === 'scheduled' ? btn('Run now', { action: 'promote', id: d.id }) : '') +
      (d.revoked ? btn('Restore', { action: 'restore', id: d.id }) : btn('Revoke', { action: 'revoke', id: d.id })) + '</div></div>';
    var evs = state.events.filter(function (e) { return e.id === d.id; });
    h += '<div class="card" style="margin-top:16px"><h2>Events seen by this page</h2><ul class="events">' + (evs.map(eventItem).join('') || '<li class="muted">None yet.</li>') + '</ul></div>';
    return h;
  }
  function periodicView(rows) {
    if (!FROM_APP || rows === null) return '<div class="card"><p class="muted">Periodic tasks are known when the dashboard loads the app: <code>huey dashboard --app app.js</code>.</p></div>';
    return '<div class="card scroll"><h2>Periodic tasks</h2><table><tr><th>task</th><th>crontab</th><th>next runs</th><th>state</th><th></th></tr>' + rows.map(function (r) {
      return '<tr><td>' + esc(r.task) + '</td><td class="mono">' + esc(r.crontab || '(custom)') + '</td><td>' + r.next.map(ago).join(', ') + '</td><td>' + (r.revoked ? '<span class="pill warn">revoked</span>' : '<span class="pill ok">active</span>') + '</td><td>' +
        (r.revoked ? btn('Restore', { action: 'restore', task: r.task }) : btn('Revoke', { action: 'revoke', task: r.task })) + '</td></tr>';
    }).join('') + (rows.length ? '' : '<tr><td colspan="5" class="muted">No periodic tasks.</td></tr>') + '</table></div>';
  }
  function eventsView() {
    return '<div class="card"><h2>Live events <span class="muted">(newest first)</span></h2><ul class="events">' + (state.events.slice().reverse().map(eventItem).join('') || '<li class="muted">Waiting for events…</li>') + '</ul></div>';
  }

  // --- routing and live updates ------------------------------------------------------------------
  function route() {
    var hash = location.hash.replace(/^#\/?/, '');
    var parts = hash.split('/');
    return { name: parts[0] || 'overview', arg: parts[1] ? decodeURIComponent(parts[1]) : '' };
  }
  var filters = {};
  function render() {
    var r = route();
    state.view = r.name;
    document.querySelectorAll('#nav a').forEach(function (a) { a.classList.toggle('on', a.getAttribute('href') === '#/' + (r.name === 'overview' ? '' : r.name)); });
    var p;
    if (r.name === 'overview') { main.innerHTML = overviewView(); fillTaskNames(); if (!state.overview) api('/api/overview').then(function (o) { state.overview = o; if (route().name === 'overview') render(); }); return; }
    if (r.name === 'events') { main.innerHTML = eventsView(); return; }
    if (LIST_TITLES[r.name]) p = api('/api/list/' + r.name + (filters[r.name] ? '?task=' + encodeURIComponent(filters[r.name]) : '')).then(function (rows) { return listView(r.name, rows, filters[r.name] || ''); });
    else if (r.name === 'task') p = api('/api/task/' + encodeURIComponent(r.arg)).then(taskView);
    else if (r.name === 'periodic') p = api('/api/periodic').then(periodicView);
    else p = Promise.resolve('<p>Not found.</p>');
    p.then(function (html) {
      if (route().name !== r.name) return;
      var focused = document.activeElement && document.activeElement.id === 'filter';
      main.innerHTML = html;
      if (focused) { var f = document.getElementById('filter'); f.focus(); f.setSelectionRange(f.value.length, f.value.length); }
    }).catch(function (e) { main.innerHTML = '<div class="card"><p>Could not load: ' + esc(e.message) + '</p></div>'; });
  }
  function fillTaskNames() {
    var dl = document.getElementById('task-names'); if (!dl) return;
    var names = {}; state.events.forEach(function (e) { if (e.task) names[e.task] = 1; });
    dl.innerHTML = Object.keys(names).sort().map(function (n) { return '<option value="' + esc(n) + '">'; }).join('');
  }
  function refreshSoon() {
    if (state.view === 'overview') return;
    clearTimeout(state.refresh); state.refresh = setTimeout(render, 250);
  }
  function connect() {
    var es = new EventSource('/api/stream');
    var live = document.getElementById('live');
    es.onopen = function () { live.className = 'live on'; };
    es.onerror = function () { live.className = 'live off'; };
    // Events come in batches (the newest of each fraction of a second).
    // Each numbered by the server (seq, at); kept in the order they happened, none twice.
    es.addEventListener('tasks', function (m) {
      var msg; try { msg = JSON.parse(m.data); } catch (x) { return; }
      if (!msg || !Array.isArray(msg.events)) return;
      // A restarted dashboard numbers from 1 again: what this page holds is from before.
      if (msg.hub !== state.hub) { state.hub = msg.hub; state.events = []; }
      var batch = [];
      msg.events.forEach(function (w) {
        if (w && w.event && typeof w.event === 'object') batch.push(Object.assign({}, w.event, { seq: w.seq, at: w.at }));
      });
      state.events = mergeLiveEvents(state.events, batch, 200);
      if (state.view === 'events') render(); else refreshSoon();
    });
    es.addEventListener('busy', function () {
      live.className = 'live on'; live.textContent = 'busy'; live.title = 'too many events to show each one: the counts still update';
      setTimeout(function () { live.textContent = 'live'; live.title = 'live updates'; }, 3000);
    });
    es.addEventListener('overview', function (m) {
      state.overview = JSON.parse(m.data);
      if (state.view === 'overview' && !main.contains(document.activeElement)) render();
    });
  }
  document.addEventListener('click', function (ev) {
    var b = ev.target.closest('button'); if (!b) return;
    var action;
    if (b.dataset.act) action = JSON.parse(b.dataset.act);
    else if (b.dataset.ctl) {
      var name = (document.getElementById('ctl-task') || {}).value;
      if (!name) { toast('Type a task name first.'); return; }
      action = b.dataset.ctl === 'retry' ? { action: 'retry', all: true, task: name } : { action: b.dataset.ctl, task: name };
    } else return;
    if ((action.confirm || action.action === 'flush') && !confirm('Really ' + action.action + ' ' + (action.what || '') + '? This cannot be undone.')) return;
    if (action.action === 'revoke' && action.task && !confirm('Revoke every ' + action.task + ' task until restored?')) return;
    delete action.confirm;
    b.disabled = true;
    post(action).then(function (r) { toast(action.action + ': ' + JSON.stringify(r)); render(); })
      .catch(function (e) { toast(e.message); }).finally(function () { b.disabled = false; });
  });
  document.addEventListener('input', function (ev) {
    if (ev.target.id !== 'filter') return;
    filters[state.view] = ev.target.value.trim(); clearTimeout(state.refresh); state.refresh = setTimeout(render, 300);
  });
  window.addEventListener('hashchange', render);
  connect();
  render();
})();
`;
