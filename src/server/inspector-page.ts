/**
 * The inspector's HTML: one static page whose panels are filled by `src/inspector/*.ts` (compiled by the build to
 * `dist/src/inspector/`, served at `/__geostub/inspector/app/`). No data is in the page itself.
 */

const STYLE = `
:root{--bg:#f8fafc;--panel:#fff;--line:#e2e8f0;--ink:#0f172a;--mute:#64748b;--accent:#2563eb;--bad:#dc2626;--ok:#16a34a;--warn:#d97706}
*{box-sizing:border-box}
body{margin:0;font:13px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;color:var(--ink);background:var(--bg)}
header{display:flex;gap:16px;align-items:center;padding:8px 16px;background:#0f172a;color:#e2e8f0}
header h1{font-size:16px;margin:0}
header a{color:#93c5fd}
header .who{margin-left:auto;color:#cbd5e1}
main{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:12px;padding:12px}
section{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:10px 12px;min-width:0}
section.wide{grid-column:1 / -1}
h2{font-size:14px;margin:0 0 8px;display:flex;gap:8px;align-items:center}
h2 .spacer{flex:1}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:3px 6px;border-bottom:1px solid var(--line);vertical-align:top;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:420px}
th{color:var(--mute);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{max-height:300px;overflow:auto}
button{font:inherit;padding:3px 10px;border:1px solid var(--line);border-radius:4px;background:#eff6ff;color:var(--accent);cursor:pointer}
button.danger{background:#fef2f2;color:var(--bad)}
input,select{font:inherit;padding:3px 6px;border:1px solid var(--line);border-radius:4px}
input[type=text]{min-width:0}
.row{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin-bottom:6px}
.grow{flex:1}
.mute{color:var(--mute)}
.s2{color:var(--ok)} .s3{color:var(--accent)} .s4{color:var(--warn)} .s5{color:var(--bad)}
.violations{color:var(--bad)}
tr.pick{cursor:pointer} tr.pick:hover{background:#f1f5f9} tr.chosen{background:#dbeafe}
pre{margin:0;padding:6px;background:#f1f5f9;border-radius:4px;max-height:260px;overflow:auto;white-space:pre-wrap;word-break:break-all;font-size:12px}
.detail{display:grid;grid-template-columns:1fr 1fr;gap:8px;margin-top:8px}
.faults{columns:2;font-size:12px}
.faults label{display:block;break-inside:avoid}
.params{margin-bottom:4px;line-height:2}
button.chip{padding:0 6px;margin:0 3px 0 0;font-size:11px;background:#f1f5f9;color:var(--ink)}
td.id{max-width:170px}
.badge{display:inline-block;padding:0 6px;border-radius:8px;background:#e2e8f0;font-size:11px}
.badge.pending{background:#fef3c7} .badge.ended{background:#dcfce7} .badge.failed{background:#fee2e2}
`;

export function inspectorPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>geostub inspector</title><link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${STYLE}</style></head>
<body>
<header><h1>geostub inspector</h1><span class="mute" id="profile"></span>
<a href="/api/v2/schema/swagger-ui/">API reference</a>
<span class="who" id="who">…</span></header>
<main>
<section id="data-panel">
  <h2>Collections <span class="spacer"></span><button id="refresh-counts">refresh</button>
  <button id="reset" class="danger" title="restore the seed fixtures">reset data</button></h2>
  <div class="mute" id="reset-status"></div>
  <div class="scroll"><table><thead><tr><th>collection</th><th class="num">records</th></tr></thead><tbody id="collections"></tbody></table></div>
</section>
<section id="jobs-panel">
  <h2>Jobs and clock <span class="spacer"></span><button id="refresh-jobs">refresh</button></h2>
  <div class="row"><span>clock <b id="clock-now">…</b></span><span class="mute" id="clock-ahead"></span></div>
  <div class="row">advance by <input id="advance-ms" type="number" min="0" step="100" style="width:90px"> ms
  <button id="advance">advance</button><button id="settle" title="run every job to its end">settle all</button>
  <span class="mute" id="jobs-status"></span></div>
  <div class="scroll"><table><thead><tr><th>kind</th><th>id</th><th>state</th><th>next step</th><th>last step</th></tr></thead>
  <tbody id="jobs"></tbody></table></div>
</section>
<section id="browse-panel" class="wide">
  <h2>Records</h2>
  <form class="row" id="browse-form"><select id="browse-endpoint"></select>
  <input id="browse-query" type="text" class="grow" placeholder="query, as the API takes it: filter{title.icontains}=river&amp;sort[]=-date&amp;page_size=10">
  <button id="browse-go" type="submit">get</button></form>
  <div class="mute params" id="browse-params"></div>
  <div class="mute" id="browse-status"></div>
  <div class="scroll"><table id="browse-table"><thead></thead><tbody id="browse-results"></tbody></table></div>
  <details><summary class="mute">raw answer</summary><pre id="browse-raw"></pre></details>
</section>
<section id="log-panel" class="wide">
  <h2>Live request log <span class="mute" id="log-state"></span><span class="spacer"></span>
  <label title="the inspector's own requests (/__geostub/…) and static files (the docs pages' scripts, styles, images)"><input type="checkbox" id="log-all"> geostub's own and static files</label>
  <label><input type="checkbox" id="log-pause"> pause</label><button id="log-clear">clear view</button></h2>
  <div class="scroll"><table><thead><tr><th>#</th><th>time</th><th>method</th><th>path</th><th>status</th><th class="num">ms</th><th>user</th><th>contract violations</th></tr></thead>
  <tbody id="log"></tbody></table></div>
  <div id="log-detail" class="mute">Click a request to see the whole exchange.</div>
</section>
<section id="settings-panel" class="wide">
  <h2>Latency, errors and faults <span class="mute">(applied at once, until the server stops)</span></h2>
  <form id="settings-form">
  <div class="row">latency <input id="latency-min" type="number" min="0" style="width:80px"> to
  <input id="latency-max" type="number" min="0" style="width:80px"> ms ·
  error rate <input id="error-rate" type="number" min="0" max="1" step="0.05" style="width:70px"> (0 to 1)
  <button id="settings-apply" type="submit">apply</button><button id="settings-clear" type="button">clear all</button>
  <span class="mute" id="settings-status"></span></div>
  <div class="mute" id="rules"></div>
  <div class="faults" id="faults"></div></form>
</section>
</main>
<script type="module" src="/__geostub/inspector/app/main.js"></script>
</body></html>`;
}

export function signInPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>geostub inspector: sign in</title><link rel="icon" href="data:,"><style>${STYLE}</style></head>
<body><header><h1>geostub inspector</h1></header>
<main><section class="wide"><h2>Superusers only on this interface</h2>
<p>This server listens beyond loopback, so the inspector (every request the mock answered, and the switches that
reset or slow it) needs a GeoNode superuser: sign in with Basic credentials (<code>admin</code> / <code>admin</code>
in the fixtures), or open <code>/__geostub/?token=&lt;a superuser's token or the --admin-token&gt;</code>.
On <code>--host 127.0.0.1</code> (the default), or with <code>--admin-open</code>, it is open.</p>
<p><a href="/__geostub/">Try again</a> · <a href="/api/v2/schema/swagger-ui/">API docs</a></p></section></main></body></html>`;
}
