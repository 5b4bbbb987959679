// The dashboard: renders GET /_sandbox/state every 2 s; every button is a control API call.
'use strict';

const $ = (selector) => document.querySelector(selector);
let state = null;

function text(value) {
  const span = document.createElement('span');
  span.textContent = value == null ? '' : String(value);
  return span;
}

function button(label, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    for (const part of Array.isArray(cell) ? cell : [cell]) td.append(part instanceof Node ? part : text(part));
    tr.append(td);
  }
  return tr;
}

// Amounts are decimals on the wire ("35.90"); JSON.parse would make them binary floats (35.9), so
// they are kept as the exact text the sandbox sent.
const exact = (key, value, context) => (key === 'amount' && context?.source !== undefined ? context.source : value);

async function control(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer = await response.json().catch(() => ({}));
  $('#message').textContent = response.ok ? `${method} ${path}: done` : `${method} ${path}: ${answer.error || response.status}`;
  await refresh();
  return answer;
}

function renderCips() {
  const status = $('#status-filter').value;
  const needle = $('#text-filter').value.trim().toLowerCase();
  const body = $('#cips tbody');
  body.replaceChildren();
  for (const c of state.cips) {
    if (status && c.status !== status) continue;
    if (needle && !`${c.cip} ${c.transactionCode}`.toLowerCase().includes(needle)) continue;
    const link = document.createElement('a');
    link.href = c.cipUrl;
    link.textContent = 'voucher';
    const st = text(c.status);
    st.className = `status-${c.status}`;
    const tr = row([
      String(c.cip),
      c.transactionCode,
      `${c.currency} ${c.amount}`,
      st,
      c.dateExpiry,
      [
        link,
        ' ',
        button('Pay', () => control('POST', `/_sandbox/cips/${c.cip}/pay`)),
        button('Expire', () => control('POST', `/_sandbox/cips/${c.cip}/expire`)),
        button('Delete', () => control('POST', `/_sandbox/cips/${c.cip}/delete`)),
        button('Extend 24 h', () => control('POST', `/_sandbox/cips/${c.cip}/extend`, { hours: 24 })),
      ],
    ]);
    tr.dataset.cip = String(c.cip);
    body.append(tr);
  }
}

function renderDeliveries() {
  const body = $('#deliveries tbody');
  body.replaceChildren();
  state.deliveries.forEach((d, i) => {
    const answers = d.attempts.map((a) => {
      const s = text(a.status != null ? `${a.status} in ${a.durationMs ?? '?'} ms` : `no answer: ${a.error}`);
      s.className = a.status === 200 ? 'ok' : 'bad';
      const said = a.response ? ` “${a.response}”` : '';
      return [s, text(said), document.createElement('br')];
    });
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = 'body and signature';
    const pre = document.createElement('pre');
    pre.textContent = `${d.body}\nPE-Signature: ${d.signature}`;
    details.append(summary, pre);
    const tr = row([String(i), d.eventType, answers.flat(), details, button('Replay', () => control('POST', `/_sandbox/deliveries/${i}/replay`))]);
    tr.dataset.delivery = String(i);
    body.append(tr);
  });
}

function renderRefunds() {
  const body = $('#refunds tbody');
  body.replaceChildren();
  for (const r of state.refunds) {
    const actions = [];
    if (r.status === 'requested') actions.push(button('Process', () => control('POST', `/_sandbox/refunds/${r.refundId}/process`)));
    if (r.status === 'requested' || r.status === 'processing') {
      actions.push(button('Approve', async () => {
        if (r.status === 'requested') await control('POST', `/_sandbox/refunds/${r.refundId}/process`);
        await control('POST', `/_sandbox/refunds/${r.refundId}/complete`);
      }));
      actions.push(button('Reject', () => control('POST', `/_sandbox/refunds/${r.refundId}/reject`, { reasonCode: 'R01' })));
    }
    body.append(row([r.refundId, String(r.cip), `${r.currency} ${r.amount}`, r.status, actions]));
  }
}

function renderFaults() {
  const list = $('#faults');
  list.replaceChildren();
  for (const f of state.faults) {
    const li = document.createElement('li');
    li.textContent = JSON.stringify(f);
    list.append(li);
  }
}

async function refresh() {
  try {
    state = JSON.parse(await (await fetch('/_sandbox/state')).text(), exact);
  } catch {
    $('#message').textContent = 'the sandbox does not answer';
    return;
  }
  $('#now').textContent = state.now;
  const urlField = $('#notification-url input');
  if (document.activeElement !== urlField) urlField.value = state.notificationUrl || '';
  renderCips();
  renderDeliveries();
  renderRefunds();
  renderFaults();
  const r = state.requests;
  $('#requests').textContent = `Requests: ${r.any} in all, ${r.authorizations} authorizations, ${r.cips_create} creations, ${r.cips_search} searches, ${r.webhook} notifications sent.`;
}

$('#advance').addEventListener('submit', (e) => {
  e.preventDefault();
  const minutes = Number(new FormData(e.target).get('minutes') || 0);
  control('POST', '/_sandbox/clock/advance', { seconds: Math.max(0, Math.round(minutes * 60)) });
});
$('#notification-url').addEventListener('submit', (e) => {
  e.preventDefault();
  const url = String(new FormData(e.target).get('url') || '').trim();
  control('PUT', '/_sandbox/notification-url', { url: url || null });
});
$('#fault').addEventListener('submit', (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  const fault = { endpoint: form.get('endpoint'), kind: form.get('kind') };
  for (const key of ['status', 'ms', 'times']) if (form.get(key)) fault[key] = Number(form.get(key));
  if (form.get('rate')) fault.rate = Number(form.get('rate'));
  control('POST', '/_sandbox/faults', fault);
});
$('#clear-faults').addEventListener('click', () => control('DELETE', '/_sandbox/faults'));
$('#status-filter').addEventListener('change', () => state && renderCips());
$('#text-filter').addEventListener('input', () => state && renderCips());

refresh();
setInterval(refresh, 2000);
