// cloudward dashboard: a small single-page app over /api/v1. It builds the
// DOM with createElement and textContent only (never innerHTML), loads
// nothing from other origins and asks the server for one page at a time.
"use strict";

let csrf = "";
let me = null;

// h builds an element: h("td", {class: "x"}, "text", child, ...).
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const kid of kids.flat()) {
    if (kid === undefined || kid === null || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

async function api(path, opts) {
  opts = opts || {};
  const headers = { "Accept": "application/json" };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  if (opts.method && opts.method !== "GET") headers["X-CSRF-Token"] = csrf;
  const resp = await fetch("/api/v1" + path, {
    method: opts.method || "GET", headers, credentials: "same-origin",
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  if (resp.status === 401) { showLogin(); throw new Error("not logged in"); }
  const data = resp.status === 204 ? {} : await resp.json();
  if (!resp.ok) throw new Error(data.error || resp.statusText);
  return data;
}

function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== undefined && v !== null) p.set(k, v);
  const s = p.toString();
  return s ? "?" + s : "";
}

function route() {
  const hash = location.hash.replace(/^#\/?/, "") || "overview";
  const [path, query] = hash.split("?");
  return { parts: path.split("/").map(decodeURIComponent), params: new URLSearchParams(query || "") };
}

function go(path, params) { location.hash = "#/" + path + (params ? qs(params) : ""); }

const view = () => document.getElementById("view");
function render(...nodes) { view().replaceChildren(...nodes); }
function sev(s) { return h("span", { class: "sev sev-" + s }, s); }
function status(s) { return h("span", { class: "st-" + s }, s); }
function when(t) { return t ? new Date(t).toLocaleString() : ""; }
function pct(v) { return v === null || v === undefined ? "–" : v.toFixed(1) + "%"; }
function bar(v) { const s = h("span"); s.style.width = (v || 0) + "%"; return h("div", { class: "bar" }, s); }
function table(head, rows) {
  return h("table", {}, h("thead", {}, h("tr", {}, head.map(x => h("th", {}, x)))), h("tbody", {}, rows));
}
function card(num, lbl, id) { return h("div", { class: "card", id }, h("div", { class: "num" }, num), h("div", { class: "lbl" }, lbl)); }

function showLogin() {
  me = null;
  document.getElementById("nav").hidden = true;
  document.getElementById("logout").hidden = true;
  document.getElementById("who").textContent = "";
  document.getElementById("login").hidden = false;
  view().replaceChildren();
}

async function start() {
  document.getElementById("login-form").addEventListener("submit", async ev => {
    ev.preventDefault();
    const err = document.getElementById("login-error");
    err.textContent = "";
    try {
      const resp = await fetch("/api/v1/login", {
        method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ token: document.getElementById("token").value }),
      });
      const data = await resp.json();
      if (!resp.ok) throw new Error(data.error || resp.statusText);
      document.getElementById("token").value = "";
      loggedIn(data);
    } catch (e) { err.textContent = e.message; }
  });
  document.getElementById("logout").addEventListener("click", async () => {
    try { await api("/logout", { method: "POST" }); } catch (e) { /* the session is gone either way */ }
    showLogin();
  });
  window.addEventListener("hashchange", show);
  try {
    loggedIn(await api("/session"));
  } catch (e) { showLogin(); }
}

function loggedIn(session) {
  me = session;
  csrf = session.csrf_token || "";
  document.getElementById("login").hidden = true;
  document.getElementById("nav").hidden = false;
  document.getElementById("logout").hidden = false;
  document.getElementById("who").textContent = session.name + " (" + session.scope + ")";
  show();
}

async function show() {
  if (!me) return;
  const { parts, params } = route();
  for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("active", a.getAttribute("href") === "#/" + parts[0]);
  render(h("p", { class: "muted" }, "Loading…"));
  const pages = { overview, inventory, ai: aiInventory, resource: resourcePage, findings, finding: findingPage, frameworks, framework: frameworkPage,
    drift, responsibility, mutes };
  const page = pages[parts[0]] || overview;
  try { await page(params, parts); } catch (e) { render(h("p", { class: "error" }, e.message)); }
}

async function overview() {
  let o;
  try { o = await api("/overview"); } catch (e) {
    render(h("h1", {}, "Overview"), h("p", { class: "muted", id: "no-snapshot" }, e.message));
    setTimeout(() => { if (route().parts[0] === "overview") show(); }, 3000);
    return;
  }
  const t = o.totals;
  const trend = await api("/trend");
  render(
    h("h1", {}, "Overview"),
    h("p", { class: "muted" }, "Snapshot " + o.snapshot.id + " · " + o.snapshot.scope + " · " + when(o.snapshot.started_at) +
      (o.running.length ? " · scanning now: " + o.running.join(", ") : "")),
    h("div", { class: "cards", id: "overview-cards" },
      card(o.snapshot.resources.toLocaleString(), "resources"),
      card(t.fail.toLocaleString(), "failing findings"),
      card(o.new_failing.toLocaleString(), "new since last scan"),
      card(t.muted.toLocaleString(), "muted"),
      card(o.collection_errors.total, "collection errors")),
    h("h2", {}, "Severity"),
    table(["Severity", "Fail", "Pass", "Muted", "Error"], o.severities.map(s =>
      h("tr", { class: "click", onclick: () => go("findings", { severity: s.severity }) },
        h("td", {}, sev(s.severity)), h("td", {}, s.fail), h("td", {}, s.pass), h("td", {}, s.muted), h("td", {}, s.error)))),
    h("h2", {}, "Frameworks"),
    table(["Framework", "Score", "", "Passed", "Failed", "Manual"], o.frameworks.map(f =>
      h("tr", { class: "click", onclick: () => go("framework/" + encodeURIComponent(f.id)) },
        h("td", {}, f.title), h("td", {}, pct(f.score)), h("td", {}, bar(f.score)), h("td", {}, f.passed), h("td", {}, f.failed), h("td", {}, f.manual)))),
    h("h2", {}, "Score trend"), trendChart(trend.items, o.frameworks),
    h("div", { class: "grid2" },
      h("div", {}, h("h2", {}, "Top failing checks"), table(["Check", "Severity", "Failing"], o.top_failing.map(c =>
        h("tr", { class: "click", onclick: () => go("findings", { check: c.id }) }, h("td", {}, c.title), h("td", {}, sev(c.severity)), h("td", {}, c.fail))))),
      h("div", {}, h("h2", {}, "Collection errors"), o.collection_errors.items.length ? table(["Where", "Error"], o.collection_errors.items.map(e =>
        h("tr", {}, h("td", {}, [e.provider, e.account, e.region, e.service].filter(Boolean).join(" / ")), h("td", {}, e.message)))) :
        h("p", { class: "muted" }, "None: every account, region and service was collected."))),
  );
}

function trendChart(items, frameworks) {
  const ns = "http://www.w3.org/2000/svg";
  const fw = frameworks.find(f => f.score !== null);
  if (!fw || items.length === 0) return h("p", { class: "muted" }, "No trend yet.");
  const pts = items.filter(i => i.frameworks && i.frameworks[fw.id] !== undefined);
  // One point draws no line: say so rather than show an empty chart.
  if (pts.length < 2) return h("p", { class: "muted", id: "trend" }, fw.title + ": " + pct(fw.score) + "; the trend starts with the next snapshot.");
  // The chart stretches to the page's width (preserveAspectRatio none), so
  // its label is HTML: SVG text would be stretched with it.
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("class", "trend");
  svg.setAttribute("viewBox", "0 0 600 160");
  svg.setAttribute("preserveAspectRatio", "none");
  const step = 580 / (pts.length - 1);
  const line = document.createElementNS(ns, "polyline");
  line.setAttribute("points", pts.map((p, i) => (10 + i * step).toFixed(1) + "," + (150 - 1.4 * p.frameworks[fw.id]).toFixed(1)).join(" "));
  svg.append(line);
  return h("div", { id: "trend" }, h("p", { class: "muted" }, fw.title + ": score over the last " + pts.length + " snapshots"), svg);
}

async function inventory(params) {
  const f = Object.fromEntries(params.entries());
  const [facets, page] = await Promise.all([api("/facets"), api("/resources" + qs(f))]);
  const sel = (name, list) => h("select", { name, onchange: apply },
    h("option", { value: "" }, "any " + name), list.map(x => h("option", { value: x.name, selected: f[name] === x.name }, x.name + " (" + x.count + ")")));
  const q = h("input", { name: "q", id: "inventory-search", placeholder: "search name or ID", value: f.q || "" });
  const tag = h("input", { name: "tag", placeholder: "tag key or key=value", value: f.tag || "" });
  const form = h("form", { class: "filters", onsubmit: ev => { ev.preventDefault(); apply(); } },
    q, sel("provider", facets.providers), sel("account", facets.accounts), sel("region", facets.regions), sel("kind", facets.kinds), tag,
    h("button", { type: "submit" }, "Search"));
  function apply() {
    const p = {};
    for (const el of form.elements) if (el.name && el.value) p[el.name] = el.value;
    go("inventory", p);
  }
  const rows = page.items.map(r => h("tr", { class: "click", onclick: () => go("resource", { uid: r.uid }) },
    h("td", {}, r.name), h("td", {}, r.kind), h("td", {}, r.provider), h("td", {}, r.account), h("td", {}, r.region),
    h("td", {}, Object.entries(r.tags).slice(0, 4).map(([k, v]) => h("span", { class: "tag" }, k + "=" + v)))));
  const pager = h("div", { class: "pager" },
    f.after ? h("button", { class: "secondary", onclick: () => history.back() }, "← Previous") : null,
    page.next_after ? h("button", { class: "secondary", id: "next-page", onclick: () => go("inventory", Object.assign({}, f, { after: page.next_after })) }, "Next →") : null);
  render(h("h1", {}, "Inventory"), form,
    h("p", { class: "muted", id: "inventory-count" }, page.total !== undefined ? page.total.toLocaleString() + " resource(s)" : "more results",
      page.indexed ? null : " · the search index of this snapshot is being built: searches are slower until it is ready"),
    table(["Name", "Kind", "Provider", "Account", "Region", "Tags"], rows), pager);
}

// aiInventory lists the resources of AI kinds across clouds, with the
// resources each one reaches (data stores marked) and its failing findings.
async function aiInventory(params) {
  const f = Object.fromEntries(params.entries());
  const page = await api("/ai" + qs(f));
  const kindSel = h("select", { name: "kind", onchange: apply }, h("option", { value: "" }, "any AI kind"),
    page.kinds.map(k => h("option", { value: k.kind, selected: f.kind === k.kind }, k.kind + " (" + k.count + ")")));
  const provs = [...new Set(page.kinds.map(k => k.provider))];
  const provSel = h("select", { name: "provider", onchange: apply }, h("option", { value: "" }, "any provider"),
    provs.map(p => h("option", { value: p, selected: f.provider === p }, p)));
  const q = h("input", { name: "q", id: "ai-search", placeholder: "search name or ID", value: f.q || "" });
  const form = h("form", { class: "filters", onsubmit: ev => { ev.preventDefault(); apply(); } }, q, provSel, kindSel,
    h("button", { type: "submit" }, "Search"));
  function apply() {
    const p = {};
    for (const el of form.elements) if (el.name && el.value) p[el.name] = el.value;
    go("ai", p);
  }
  const related = it => it.related.length ? it.related.map(r => h("div", { class: r.data ? "rel data" : "rel" },
    h("a", { href: "#/resource" + qs({ uid: r.uid }) }, r.name || r.uid), " ", h("span", { class: "muted" }, r.type + (r.kind ? " · " + r.kind : "")),
    r.data ? h("span", { class: "tag" }, "data") : null)) : h("span", { class: "muted" }, "none");
  const failing = it => it.failing.length ? it.failing.map(x => h("div", {},
    sev(x.severity), " ", h("a", { href: "#/finding" + qs({ check: x.check_id, uid: it.uid }) }, x.title || x.check_id))) :
    h("span", { class: "st-PASS" }, "no failing check");
  const rows = page.items.map(it => h("tr", { class: "ai-row" },
    h("td", {}, h("a", { href: "#/resource" + qs({ uid: it.uid }) }, it.name || it.uid), h("div", { class: "muted" }, it.kind)),
    h("td", {}, it.provider + " / " + it.account + " / " + it.region), h("td", {}, related(it)), h("td", {}, failing(it))));
  const pager = h("div", { class: "pager" },
    f.after ? h("button", { class: "secondary", onclick: () => history.back() }, "← Previous") : null,
    page.next_after ? h("button", { class: "secondary", id: "ai-next-page", onclick: () => go("ai", Object.assign({}, f, { after: page.next_after })) }, "Next →") : null);
  const byProv = provs.map(p => card(page.kinds.filter(k => k.provider === p).reduce((n, k) => n + k.count, 0).toLocaleString(), p + " AI resources"));
  render(h("h1", {}, "AI inventory"),
    h("div", { class: "cards" }, card(page.resources.toLocaleString(), "AI resources", "ai-count"), byProv),
    h("h2", {}, "AI resources"), form,
    h("p", { class: "muted", id: "ai-total" }, page.total !== undefined ? page.total.toLocaleString() + " match(es)" : "more results"),
    page.kinds.length ? table(["Resource", "Where", "Reaches", "Failing checks"], rows) :
      h("p", { class: "muted", id: "ai-none" }, "No AI resources in this snapshot."),
    pager);
}

async function resourcePage(params) {
  const uid = params.get("uid");
  const [d, hist] = await Promise.all([api("/resource" + qs({ uid })), api("/resource/history" + qs({ uid }))]);
  const r = d.resource;
  render(
    h("h1", {}, r.name || r.uid),
    h("dl", { class: "kv" },
      h("dt", {}, "UID"), h("dd", { class: "mono" }, r.uid), h("dt", {}, "Kind"), h("dd", {}, r.kind),
      h("dt", {}, "Where"), h("dd", {}, r.provider + " / " + r.account + " / " + r.region),
      h("dt", {}, "Created"), h("dd", {}, r.created_at || "unknown"),
      h("dt", {}, "Tags"), h("dd", {}, Object.entries(r.tags).map(([k, v]) => h("span", { class: "tag" }, k + "=" + v)))),
    h("h2", {}, "Findings"),
    table(["Check", "Severity", "Status", "Reason"], d.findings.map(f =>
      h("tr", { class: "click", onclick: () => go("finding", { check: f.check_id, uid: r.uid }) },
        h("td", {}, f.title || f.check_id), h("td", {}, sev(f.severity)), h("td", {}, status(f.status)), h("td", {}, f.reason)))),
    h("h2", {}, "Related resources"),
    d.edges.length ? table(["Direction", "Relation", "Resource", "Kind"], d.edges.map(e =>
      h("tr", { class: "click", onclick: () => go("resource", { uid: e.uid }) },
        h("td", {}, e.direction === "out" ? "→" : "←"), h("td", {}, e.type), h("td", { class: "mono" }, e.name || e.uid), h("td", {}, e.kind)))) :
      h("p", { class: "muted" }, "None."),
    h("h2", {}, "History"),
    table(["Snapshot", "Scanned", "Present", "Changed", "Failing checks"], hist.items.map(x =>
      h("tr", {}, h("td", {}, x.snapshot_id), h("td", {}, when(x.started_at)), h("td", {}, x.present ? "yes" : "no"),
        h("td", {}, x.changed ? "changed" : ""), h("td", {}, x.present ? x.failing : "")))),
    h("h2", {}, "Properties"), h("pre", {}, JSON.stringify(r.properties, null, 2)));
}

async function findings(params) {
  const f = Object.fromEntries(params.entries());
  const offset = Number(f.offset || 0);
  const page = await api("/findings" + qs(f));
  const statusSel = h("select", { name: "status" }, ["FAIL", "MUTED", "ERROR", "PASS", "all"].map(s => h("option", { value: s, selected: (f.status || "FAIL") === s }, s)));
  const sevSel = h("select", { name: "severity" }, h("option", { value: "" }, "any severity"),
    ["critical", "high", "medium", "low"].map(s => h("option", { value: s, selected: f.severity === s }, "≥ " + s)));
  const form = h("form", { class: "filters", onsubmit: ev => {
    ev.preventDefault();
    const p = {};
    for (const el of form.elements) if (el.name && el.value) p[el.name] = el.value;
    go("findings", p);
  } }, h("input", { name: "q", id: "findings-search", placeholder: "search check or resource", value: f.q || "" }), statusSel, sevSel,
    h("input", { name: "check", placeholder: "check ID", value: f.check || "" }),
    h("input", { name: "provider", placeholder: "provider", value: f.provider || "" }),
    h("input", { name: "account", placeholder: "account", value: f.account || "" }),
    h("button", { type: "submit" }, "Filter"));
  const rows = page.items.map(x => h("tr", { class: "click finding-row", onclick: () => go("finding", { check: x.check_id, uid: x.resource_uid }) },
    h("td", {}, sev(x.severity)), h("td", {}, status(x.status)), h("td", {}, x.title || x.check_id), h("td", {}, x.resource_name),
    h("td", {}, x.provider + " / " + x.account + " / " + x.region), h("td", {}, x.first_seen ? when(x.first_seen) : "")));
  const pager = h("div", { class: "pager" },
    offset > 0 ? h("button", { class: "secondary", onclick: () => go("findings", Object.assign({}, f, { offset: Math.max(0, offset - 50) })) }, "← Previous") : null,
    h("span", { class: "muted" }, page.items.length ? (offset + 1) + "–" + (offset + page.items.length) : "no findings"),
    page.has_more ? h("button", { class: "secondary", onclick: () => go("findings", Object.assign({}, f, { offset: offset + 50 })) }, "Next →") : null);
  render(h("h1", {}, "Findings"), form, table(["Severity", "Status", "Check", "Resource", "Where", "First seen"], rows), pager);
}

async function findingPage(params) {
  const check = params.get("check"), uid = params.get("uid");
  const d = await api("/finding" + qs({ check, uid }));
  const f = d.finding, c = d.check;
  const reason = h("textarea", { id: "mute-reason", rows: 2, cols: 60, placeholder: "why is this accepted? (required)" });
  const expires = h("input", { id: "mute-expires", type: "date" });
  const msg = h("p", { id: "mute-result" });
  const canMute = me.scope === "admin";
  const muteForm = h("form", { id: "mute-form", onsubmit: async ev => {
    ev.preventDefault();
    try {
      const m = await api("/mutes", { method: "POST", body: { check: c.id, resource: f.resource_uid, reason: reason.value, expires: expires.value } });
      msg.className = ""; msg.textContent = "Muted (mute " + m.id + "): applies from the next scan.";
    } catch (e) { msg.className = "error"; msg.textContent = e.message; }
  } }, reason, " expires ", expires, " ", h("button", { type: "submit", disabled: !canMute }, "Mute"),
    canMute ? null : h("span", { class: "muted" }, " (needs an admin token)"));
  render(
    h("h1", { id: "finding-title" }, c.title || c.id),
    h("p", {}, sev(f.severity), " ", status(f.status), " ", h("span", { class: "mono" }, c.id)),
    h("dl", { class: "kv" },
      h("dt", {}, "Resource"), h("dd", {}, h("a", { href: "#/resource" + qs({ uid: f.resource_uid }) }, f.resource_name || f.resource_uid)),
      h("dt", {}, "Where"), h("dd", {}, f.provider + " / " + f.account + " / " + f.region),
      h("dt", {}, "First seen"), h("dd", {}, when(f.first_seen)),
      f.reason ? [h("dt", {}, "Reason"), h("dd", {}, f.reason)] : null,
      h("dt", {}, "Area"), h("dd", {}, c.area)),
    h("h2", {}, "Description"), h("p", {}, c.description),
    c.risk ? [h("h2", {}, "Risk"), h("p", {}, c.risk)] : null,
    h("h2", {}, "Remediation"), h("p", { id: "remediation" }, c.remediation),
    c.remediation_cli ? h("pre", {}, c.remediation_cli) : null,
    c.remediation_terraform ? h("pre", {}, c.remediation_terraform) : null,
    c.references.length ? [h("h2", {}, "References"), h("ul", {}, c.references.map(u => h("li", { class: "mono" }, u)))] : null,
    h("h2", {}, "Mute"),
    d.mutes.length ? table(["Mute", "Reason", "Owner", "Active"], d.mutes.map(m => h("tr", {}, h("td", {}, m.id), h("td", {}, m.reason), h("td", {}, m.owner), h("td", {}, m.active ? "yes" : "no")))) : null,
    f.status === "FAIL" ? muteForm : h("p", { class: "muted" }, "Only failing findings are muted."), msg);
}

async function frameworks() {
  const d = await api("/frameworks");
  render(h("h1", {}, "Frameworks"), table(["Framework", "Version", "Score", "", "Passed", "Failed", "Errored", "No resources", "Manual"], d.items.map(f =>
    h("tr", { class: "click", onclick: () => go("framework/" + encodeURIComponent(f.id)) }, h("td", {}, f.title), h("td", {}, f.version || ""),
      h("td", {}, pct(f.score)), h("td", {}, bar(f.score)), h("td", {}, f.passed), h("td", {}, f.failed), h("td", {}, f.errored), h("td", {}, f.no_resources), h("td", {}, f.manual)))));
}

async function frameworkPage(params, parts) {
  const d = await api("/frameworks/" + encodeURIComponent(parts[1]));
  render(h("h1", {}, d.framework.title + " — " + pct(d.framework.score)),
    table(["Requirement", "Title", "Status", "Fail", "Pass", "Checks"], d.requirements.map(r =>
      h("tr", {}, h("td", { class: "mono" }, r.id), h("td", {}, r.title), h("td", { class: "st-" + r.status.toUpperCase() }, r.status.replace("_", " ")),
        h("td", {}, r.fail), h("td", {}, r.pass),
        h("td", {}, r.checks.map(c => h("a", { href: "#/findings" + qs({ check: c }), class: "tag" }, c)))))));
}

async function drift() {
  const [trend, scans] = await Promise.all([api("/trend"), api("/scans")]);
  const isAdmin = me.scope === "admin";
  const msg = h("span", { class: "muted" });
  render(h("h1", {}, "Scans & drift"),
    h("div", { class: "filters" }, scans.scopes.map(s => h("button", { type: "button", disabled: !isAdmin, onclick: async () => {
      try { await api("/scans", { method: "POST", body: { scope: s } }); msg.textContent = "Scan of " + s + " started."; } catch (e) { msg.textContent = e.message; }
    } }, "Scan " + s + " now")), msg),
    h("p", { class: "muted" }, scans.schedules.map(s => s.scope + ": " + s.cron).join(" · ") || "No schedule."),
    h("h2", {}, "Timeline"),
    table(["Snapshot", "Scope", "Scanned", "Resources", "Failing", "New failing", "Δ failing"], trend.items.slice().reverse().map((x, i, arr) => {
      const prev = arr[i + 1];
      const delta = prev ? x.fail - prev.fail : "";
      return h("tr", { class: "drift-row" }, h("td", {}, x.snapshot_id), h("td", {}, x.scope), h("td", {}, when(x.at)), h("td", {}, x.resources),
        h("td", {}, x.fail), h("td", {}, x.new_failing), h("td", {}, delta === "" ? "" : (delta > 0 ? "+" : "") + delta));
    })),
    h("h2", {}, "Scan runs"),
    table(["Run", "Scope", "Trigger", "Started", "Finished", "Status", "Snapshot", "Error"], scans.items.map(r =>
      h("tr", {}, h("td", {}, r.id), h("td", {}, r.scope), h("td", {}, r.trigger), h("td", {}, when(r.started_at)), h("td", {}, when(r.finished_at)),
        h("td", {}, r.status), h("td", {}, r.snapshot_id || ""), h("td", { class: "error" }, r.error || "")))));
}

async function responsibility() {
  const d = await api("/responsibility");
  const models = [...new Set(d.items.map(x => x.service_model))].sort();
  const areas = [...new Set(d.items.map(x => x.area))];
  const cell = (a, m) => {
    const x = d.items.find(i => i.area === a && i.service_model === m);
    if (!x) return h("td", { class: "muted" }, "–");
    const total = x.counts.pass + x.counts.fail;
    const heat = total ? Math.ceil(4 * x.counts.fail / total) : 0;
    return h("td", { class: "heat" + heat }, x.counts.fail + " failing / " + total + " (" + x.checks + " checks)");
  };
  render(h("h1", {}, "Shared responsibility"),
    h("p", { class: "muted" }, "Your side of the shared-responsibility model: findings per area of responsibility and service model."),
    table(["Area"].concat(models), areas.map(a => h("tr", {}, h("td", {}, a), models.map(m => cell(a, m))))));
}

async function mutes() {
  const [ms, changes] = await Promise.all([api("/mutes"), api("/mutes/changes")]);
  const isAdmin = me.scope === "admin";
  render(h("h1", {}, "Mutes"),
    table(["ID", "Check", "Resource", "Reason", "Owner", "Created", "Expires", "Active", ""], ms.items.map(m =>
      h("tr", {}, h("td", {}, m.id), h("td", { class: "mono" }, m.check), h("td", { class: "mono" }, m.resource || "every resource"),
        h("td", {}, m.reason), h("td", {}, m.owner), h("td", {}, when(m.created_at)), h("td", {}, m.expires ? when(m.expires) : "never"),
        h("td", {}, m.active ? "yes" : "no"),
        h("td", {}, m.active && isAdmin ? h("button", { class: "secondary", onclick: async () => {
          const why = prompt("Why does this mute end?");
          if (!why) return;
          await api("/mutes/" + m.id + "/expire", { method: "POST", body: { reason: why } });
          show();
        } }, "Expire") : null)))),
    h("h2", {}, "Change log"),
    table(["When", "Mute", "Action", "Who", "Why"], changes.items.map(c =>
      h("tr", {}, h("td", {}, when(c.at)), h("td", {}, c.mute_id), h("td", {}, c.action), h("td", {}, c.who), h("td", {}, c.why)))));
}

start();
