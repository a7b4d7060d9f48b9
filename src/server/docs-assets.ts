/**
 * The API reference page's own style and "Try it" script, sent inline with the page (docs-pages.ts): the page loads
 * nothing else.
 */
/** The try-it script: builds the request from the form and the credentials box, sends it here, shows the answer. */
export const SCRIPT = `
const auth = () => {
  const f = document.getElementById('auth');
  const kind = f.elements.kind.value, a = f.elements.a.value, b = f.elements.b.value;
  if (kind === 'basic' && a) return 'Basic ' + btoa(a + ':' + b);
  if (kind === 'bearer' && a) return 'Bearer ' + a;
  if (kind === 'key' && a) return 'key ' + a;
  return '';
};
document.getElementById('auth').elements.kind.addEventListener('change', (e) => {
  document.getElementById('auth').dataset.kind = e.target.value;
});
document.addEventListener('submit', async (e) => {
  const form = e.target.closest('form.try');
  if (!form) return;
  e.preventDefault();
  const op = form.closest('.op'), out = form.querySelector('.answer');
  let path = op.dataset.path;
  const query = new URLSearchParams(), headers = {};
  let more = '';
  for (const input of form.querySelectorAll('[data-in]')) {
    const v = input.value.trim();
    if (!v) continue;
    if (input.dataset.in === 'path') path = path.replace('{' + input.name + '}', encodeURIComponent(v));
    else if (input.dataset.in === 'query') for (const part of input.dataset.multi ? v.split(',') : [v]) query.append(input.name, part.trim());
    else if (input.dataset.in === 'header') headers[input.name] = v;
    else if (input.dataset.in === 'raw') more = v.replace(/^[?&]/, '');
  }
  const credentials = auth();
  if (credentials) headers.Authorization = credentials;
  const init = { method: op.dataset.method, headers, credentials: 'omit' };
  const body = form.elements.body && form.elements.body.value.trim();
  if (body) { init.body = body; headers['Content-Type'] = form.elements['content-type'].value; }
  const qs = [query.toString(), more].filter(Boolean).join('&');
  out.hidden = false;
  out.textContent = init.method + ' ' + path + (qs ? '?' + qs : '') + ' …';
  try {
    const res = await fetch(path + (qs ? '?' + qs : ''), init);
    let text = await res.text();
    try { text = JSON.stringify(JSON.parse(text), null, 2); } catch {}
    out.dataset.status = String(res.status);
    out.textContent = res.status + ' ' + res.statusText + '\\n' + [...res.headers].map(([k, v]) => k + ': ' + v).join('\\n') + '\\n\\n' + text;
  } catch (err) {
    out.dataset.status = 'error';
    out.textContent = String(err);
  }
});
`;

export const STYLE = `
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,sans-serif;color:#111827;background:#fff}
#geostub-docs-nav{padding:6px 12px;background:#1f2937;color:#e5e7eb;position:sticky;top:0;z-index:2}
#geostub-docs-nav a{color:#93c5fd}#geostub-docs-nav b{color:#fff}
.layout{display:grid;grid-template-columns:290px 1fr}
aside{position:sticky;top:31px;height:calc(100vh - 31px);overflow:auto;background:#f9fafb;border-right:1px solid #e5e7eb;padding:8px 10px;font-size:12.5px}
aside h3{margin:10px 0 2px;font-size:12px;text-transform:uppercase;color:#4b5563}aside ul{list-style:none;margin:0;padding:0}
aside li a{display:block;padding:1px 0;color:#111827;text-decoration:none;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
aside li a:hover{color:#1d4ed8}
main{padding:12px 24px;min-width:0}h1{margin:4px 0}h2{border-bottom:2px solid #e5e7eb;margin-top:28px;padding-bottom:4px}
.op{border:1px solid #e5e7eb;border-radius:6px;padding:8px 14px;margin:14px 0;background:#fff}
.op h3{margin:4px 0;font-size:15px}.op h4{margin:10px 0 4px;font-size:13px;color:#374151}
.m{display:inline-block;min-width:58px;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:2px 6px;font-weight:700}
.m.get{background:#2563eb}.m.post{background:#16a34a}.m.put{background:#ca8a04}.m.patch{background:#0d9488}.m.delete{background:#dc2626}.m.head,.m.options{background:#6b7280}
.path{font-size:14px}.summary{font-weight:400;color:#374151}
table{border-collapse:collapse;width:100%;margin:2px 0}td,th{border-top:1px solid #f3f4f6;padding:3px 6px;vertical-align:top;text-align:left}th{font-size:12px;color:#6b7280}
.props{margin-left:8px;width:calc(100% - 8px)}.props td:first-child{white-space:nowrap;width:1%}
.status{font-weight:700;width:1%}.s2{color:#16a34a}.s3{color:#0369a1}.s4{color:#b45309}.s5{color:#dc2626}
.req{color:#b91c1c;font-size:11px}.flag{color:#6b7280;font-size:11px}.mt{font-family:monospace;font-size:12px;background:#eef2ff;padding:0 4px;border-radius:3px}
.desc{margin:3px 0}.op,.schema,section{scroll-margin-top:40px}.type{color:#4b5563}code{background:#f3f4f6;padding:0 3px;border-radius:3px}.ref{font-family:monospace}
.try summary{cursor:pointer;color:#1d4ed8;margin:6px 0}.try form{display:grid;gap:4px}.try label{display:grid;grid-template-columns:220px 1fr;gap:6px;align-items:start}
.try input,.try textarea{font:12px monospace;padding:3px}.try button{justify-self:start;padding:3px 14px}
.answer{background:#111827;color:#e5e7eb;padding:8px;max-height:320px;overflow:auto;font-size:12px;white-space:pre-wrap}
#auth{background:#f3f4f6;padding:6px 10px;border-radius:6px;display:flex;gap:8px;align-items:center;flex-wrap:wrap}
#auth input{font:12px monospace;padding:3px}#auth:not([data-kind=basic]) [name=b]{display:none}
.schema{border-left:3px solid #e5e7eb;padding-left:10px;margin:12px 0}
`;
