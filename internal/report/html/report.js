// cloudward HTML report: pages and filters the embedded findings offline.
// The findings are compact arrays (see html_data.go): string fields are an
// index into a dictionary of cw-dict or, past a dictionary's cap, the
// string itself. Only one page of rows is ever in the DOM.
(function () {
  'use strict';
  var F = { check: 0, status: 1, severity: 2, uid: 3, name: 4, kind: 5, provider: 6, account: 7, region: 8, reason: 9 };
  var FILTERS = ['status', 'severity', 'provider', 'account', 'region', 'check'];

  var startedAt = performance.now();
  function $(id) { return document.getElementById(id); }
  var dict = JSON.parse($('cw-dict').textContent);
  var rows = JSON.parse($('cw-findings').textContent);
  // The text is no longer needed: drop it so the browser does not keep the
  // findings twice.
  $('cw-findings').textContent = '';
  var parsedAt = performance.now();

  var dicts = {
    check: dict.checks.map(function (c) { return c[0]; }),
    status: dict.statuses, uid: dict.uids, name: dict.names, kind: dict.kinds,
    provider: dict.providers, account: dict.accounts, region: dict.regions, reason: dict.reasons
  };
  function str(field, v) { return typeof v === 'number' ? dicts[field][v] : v; }
  function checkInfo(v) {
    if (typeof v === 'number') { return dict.checks[v]; }
    return [v, '', '', '', '', 0];
  }

  // Order: FAIL, ERROR, MUTED, PASS (the first four statuses), then
  // anything else; stream order (severity, highest first) within each.
  var rank = [0, 1, 2, 3];
  var buckets = [[], [], [], [], []];
  for (var i = 0; i < rows.length; i++) {
    var s = rows[i][F.status];
    buckets[typeof s === 'number' && s < 4 ? rank[s] : 4].push(i);
  }
  var order = new Int32Array(rows.length);
  var k = 0;
  buckets.forEach(function (b) { for (var j = 0; j < b.length; j++) { order[k++] = b[j]; } });
  buckets = null;

  // Counts per value, for the filter menus: by dictionary index, and by
  // string for the values written literally past a dictionary's cap.
  var COUNTED = ['status', 'provider', 'account', 'region', 'check'];
  var byIndex = {}, byLiteral = {};
  COUNTED.forEach(function (f) {
    byIndex[f] = new Int32Array(dicts[f].length);
    byLiteral[f] = new Map();
  });
  var sevCounts = [0, 0, 0, 0, 0];
  for (i = 0; i < rows.length; i++) {
    var r = rows[i];
    sevCounts[r[F.severity]]++;
    for (var c = 0; c < COUNTED.length; c++) {
      var f = COUNTED[c], v = r[F[f]];
      if (typeof v === 'number') {
        byIndex[f][v]++;
      } else {
        byLiteral[f].set(v, (byLiteral[f].get(v) || 0) + 1);
      }
    }
  }
  var counts = {};
  COUNTED.forEach(function (f) {
    var m = new Map(byLiteral[f]);
    dicts[f].forEach(function (s, i) {
      if (byIndex[f][i] > 0) { m.set(s, (m.get(s) || 0) + byIndex[f][i]); }
    });
    counts[f] = m;
  });

  var form = $('filters');
  function fill(name, values, label) {
    var sel = form.elements[name];
    values.forEach(function (v) {
      var o = document.createElement('option');
      o.value = v;
      o.textContent = label(v);
      sel.appendChild(o);
    });
  }
  function byCount(f) {
    return function (v) { return v + ' (' + counts[f].get(v).toLocaleString('en-US') + ')'; };
  }
  function keysSorted(f, cmp) { return Array.from(counts[f].keys()).sort(cmp); }
  var statusOrder = dict.statuses;
  fill('status', keysSorted('status', function (a, b) {
    var x = statusOrder.indexOf(a), y = statusOrder.indexOf(b);
    return (x < 0 ? 99 : x) - (y < 0 ? 99 : y) || (a < b ? -1 : a > b ? 1 : 0);
  }), byCount('status'));
  fill('severity', [4, 3, 2, 1, 0].filter(function (s) { return sevCounts[s] > 0; }).map(function (s) { return dict.severities[s]; }),
    function (v) { return v + ' (' + sevCounts[dict.severities.indexOf(v)].toLocaleString('en-US') + ')'; });
  fill('provider', keysSorted('provider'), byCount('provider'));
  fill('account', keysSorted('account'), byCount('account'));
  fill('region', keysSorted('region'), byCount('region'));
  fill('check', keysSorted('check'), byCount('check'));

  var state = { page: 1, size: dict.pageSize || 100 };
  var visible = order;

  // matcher returns a test for one field: the value's dictionary index or
  // the literal string.
  function matcher(field, value) {
    var idx = dicts[field].indexOf(value);
    return function (v) { return v === idx || v === value; };
  }

  // searchTest returns a row test for a free-text query: each dictionary is
  // searched once, then rows are tested by index.
  var lower = null; // the dictionaries in lower case, made on the first search
  function searchTest(q) {
    q = q.toLowerCase();
    if (!lower) {
      lower = {};
      ['uid', 'name', 'kind', 'account', 'region', 'reason'].forEach(function (field) {
        lower[field] = dicts[field].map(function (s) { return s.toLowerCase(); });
      });
      lower.check = dict.checks.map(function (c) { return (c[0] + '\n' + c[1]).toLowerCase(); });
    }
    var hit = {};
    Object.keys(lower).forEach(function (field) {
      hit[field] = lower[field].map(function (s) { return s.indexOf(q) >= 0; });
    });
    var fields = Object.keys(hit);
    return function (r) {
      for (var i = 0; i < fields.length; i++) {
        var f = fields[i], v = r[F[f]];
        if (typeof v === 'number' ? hit[f][v] : String(v).toLowerCase().indexOf(q) >= 0) { return true; }
      }
      return false;
    };
  }

  function applyFilters() {
    var tests = [];
    FILTERS.forEach(function (name) {
      var v = form.elements[name].value;
      if (!v) { return; }
      if (name === 'severity') {
        var sev = dict.severities.indexOf(v);
        tests.push(function (r) { return r[F.severity] === sev; });
        return;
      }
      var m = matcher(name, v), col = F[name];
      tests.push(function (r) { return m(r[col]); });
    });
    var q = form.elements.q.value.trim();
    if (q) { tests.push(searchTest(q)); }
    if (!tests.length) {
      visible = order;
      return;
    }
    var out = new Int32Array(order.length), n = 0;
    outer: for (var i = 0; i < order.length; i++) {
      var r = rows[order[i]];
      for (var t = 0; t < tests.length; t++) {
        if (!tests[t](r)) { continue outer; }
      }
      out[n++] = order[i];
    }
    visible = out.subarray(0, n);
  }

  function cell(tr, text, cls, title) {
    var td = document.createElement('td');
    if (cls) {
      var span = document.createElement('span');
      span.className = cls;
      span.textContent = text;
      td.appendChild(span);
    } else {
      td.textContent = text;
    }
    if (title) { td.title = title; }
    tr.appendChild(td);
    return td;
  }

  function detail(r) {
    var c = checkInfo(r[F.check]);
    var tr = document.createElement('tr');
    tr.className = 'detail';
    var td = document.createElement('td');
    td.colSpan = 7;
    var dl = document.createElement('dl');
    [['Check', c[0] + (c[1] ? ' — ' + c[1] : '')], ['Resource UID', str('uid', r[F.uid])], ['Area', c[3]],
      ['Reason', str('reason', r[F.reason])], ['Remediation', c[4]]].forEach(function (p) {
      if (!p[1]) { return; }
      var dt = document.createElement('dt'), dd = document.createElement('dd');
      dt.textContent = p[0];
      dd.textContent = p[1];
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    td.appendChild(dl);
    tr.appendChild(td);
    return tr;
  }

  function render() {
    var pages = Math.max(1, Math.ceil(visible.length / state.size));
    state.page = Math.min(Math.max(1, state.page), pages);
    var start = (state.page - 1) * state.size, end = Math.min(visible.length, start + state.size);
    var body = document.createElement('tbody');
    body.id = 'rows';
    for (var i = start; i < end; i++) {
      var r = rows[visible[i]];
      var c = checkInfo(r[F.check]);
      var st = str('status', r[F.status]), sev = dict.severities[r[F.severity]];
      var tr = document.createElement('tr');
      tr.className = 'row';
      tr.tabIndex = 0;
      tr.dataset.i = visible[i];
      cell(tr, st, 'st ' + st);
      cell(tr, sev, 'sev ' + sev);
      cell(tr, c[1] || c[0], '', c[0]);
      cell(tr, str('name', r[F.name]) || str('uid', r[F.uid]), '', str('uid', r[F.uid]));
      cell(tr, str('kind', r[F.kind]));
      cell(tr, str('account', r[F.account]));
      cell(tr, str('region', r[F.region]));
      body.appendChild(tr);
    }
    $('rows').replaceWith(body);
    var total = rows.length;
    var countEl = $('count');
    countEl.dataset.visible = visible.length;
    countEl.textContent = visible.length === 0 ? 'No findings match.' :
      'Showing ' + (start + 1).toLocaleString('en-US') + '–' + end.toLocaleString('en-US') + ' of ' +
      visible.length.toLocaleString('en-US') + ' findings' +
      (visible.length < total ? ' (filtered from ' + total.toLocaleString('en-US') + ')' : '');
    $('page').textContent = 'page ' + state.page + ' of ' + pages;
    $('prev').disabled = state.page <= 1;
    $('next').disabled = state.page >= pages;
  }

  // State lives in the URL hash, e.g. #status=FAIL&region=eu-west-1&q=bucket&page=2,
  // so a filtered view can be bookmarked or shared with the file.
  function readHash() {
    var h = location.hash.replace(/^#/, '');
    if (h.indexOf('=') < 0) { return false; }
    applyParams(new URLSearchParams(h));
    return true;
  }

  function applyParams(p) {
    FILTERS.concat(['q']).forEach(function (name) {
      var el = form.elements[name], v = p.get(name) || '';
      if (el.tagName === 'SELECT' && v && !Array.prototype.some.call(el.options, function (o) { return o.value === v; })) {
        var o = document.createElement('option'); // a value with no findings still filters (to nothing)
        o.value = v;
        o.textContent = v + ' (0)';
        el.appendChild(o);
      }
      el.value = v;
    });
    state.page = parseInt(p.get('page'), 10) || 1;
    var size = parseInt(p.get('size'), 10);
    if (size > 0) { state.size = size; }
  }

  function writeHash() {
    var p = new URLSearchParams();
    FILTERS.concat(['q']).forEach(function (name) {
      var v = form.elements[name].value.trim();
      if (v) { p.set(name, v); }
    });
    if (state.page > 1) { p.set('page', state.page); }
    if (state.size !== dict.pageSize) { p.set('size', state.size); }
    var h = p.toString();
    try {
      history.replaceState(null, '', h ? '#' + h : location.pathname + location.search);
    } catch (e) {
      // Some browsers refuse replaceState on file:// pages; the view still works.
    }
  }

  function update() {
    applyFilters();
    render();
    writeHash();
  }

  var timer = 0;
  form.addEventListener('input', function (e) {
    state.page = 1;
    clearTimeout(timer);
    timer = setTimeout(update, e.target.name === 'q' ? 200 : 0);
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  $('reset-filters').addEventListener('click', function () {
    form.reset();
    state.page = 1;
    update();
  });
  $('prev').addEventListener('click', function () { state.page--; render(); writeHash(); });
  $('next').addEventListener('click', function () { state.page++; render(); writeHash(); });
  var sizeSel = $('page-size');
  if (!Array.prototype.some.call(sizeSel.options, function (o) { return +o.value === state.size; })) {
    var o = document.createElement('option');
    o.textContent = state.size;
    sizeSel.appendChild(o);
  }
  sizeSel.addEventListener('change', function () { state.size = +sizeSel.value; state.page = 1; render(); writeHash(); });

  function toggle(e) {
    var tr = e.target.closest('tr.row');
    if (!tr) { return; }
    var next = tr.nextElementSibling;
    if (next && next.className === 'detail') {
      next.remove();
    } else {
      tr.after(detail(rows[+tr.dataset.i]));
    }
  }
  $('findings').addEventListener('click', toggle);
  $('findings').addEventListener('keydown', function (e) {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      toggle(e);
    }
  });

  // Links in the summary (accounts, regions, checks, status cards) filter
  // the findings table.
  document.addEventListener('click', function (e) {
    var a = e.target.closest('[data-filter]');
    if (!a) { return; }
    e.preventDefault();
    form.reset();
    var p = new URLSearchParams();
    p.set(a.dataset.filter, a.dataset.value);
    if (a.dataset.status) { p.set('status', a.dataset.status); }
    applyParams(p);
    state.page = 1;
    update();
    $('sec-findings').scrollIntoView();
  });
  window.addEventListener('hashchange', function () {
    var t = performance.now();
    if (readHash()) {
      applyFilters();
      render();
      document.body.dataset.filterMs = (performance.now() - t).toFixed(0);
    }
  });

  var fromHash = readHash();
  sizeSel.value = String(state.size);
  applyFilters();
  render();
  if (fromHash) { $('sec-findings').scrollIntoView(); }
  document.body.dataset.startMs = startedAt.toFixed(0);
  document.body.dataset.parseMs = parsedAt.toFixed(0);
  document.body.dataset.renderMs = performance.now().toFixed(0);
  document.body.dataset.ready = 'true';
}());
