// The agent console: sign in, watch the hand-off queue live (server-sent events from /agent/queue/events), claim a
// conversation, read all of it (bot turns, tool calls, why it was handed off), answer with knowledge suggestions at
// hand, resolve it or hand it back to the bot.
import { el, fill, api, formatTime, formatWait, handoffReasons, intents, toolOutcomes } from './common.js';

const $ = id => document.getElementById(id);
const refreshMilliseconds = 3000;
let me = null;
let events = null;
let selected = null;
let snapshot = { items: [], waiting: 0, at: new Date().toISOString() };
let refreshTimer = null;
let lastRendered = '';
let snapshotReceivedAt = Date.now();

async function start() {
  $('signin').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', signOut);
  try {
    me = await api('/api/agent/me');
    openConsole();
  } catch {
    $('signin').hidden = false;
    $('name').focus();
  }
}

async function signIn(event) {
  event.preventDefault();
  $('signin-error').textContent = '';
  try {
    me = await api('/api/agent/sign-in', { method: 'POST', body: { name: $('name').value, password: $('password').value } });
    $('password').value = '';
    openConsole();
  } catch (error) {
    $('signin-error').textContent = error.status === 401 ? '账号或密码错误' : error.status === 429 ? '尝试次数过多，请稍后再试' : error.message;
  }
}

async function signOut() {
  await api('/api/agent/sign-out', { method: 'POST' }).catch(() => {});
  location.reload();
}

function openConsole() {
  $('signin').hidden = true;
  $('console').hidden = false;
  $('sign-out').hidden = false;
  $('who').textContent = `${me.display_name}（${me.name}）`;
  $('dashboard-link').hidden = !me.admin;
  listen();
  setInterval(renderQueue, 10_000);
}

/** The queue feed. EventSource reconnects by itself after a network drop; the dot shows whether it is live. */
function listen() {
  events?.close();
  events = new EventSource('/agent/queue/events');
  events.addEventListener('open', () => $('live').classList.add('on'));
  events.addEventListener('error', () => $('live').classList.remove('on'));
  events.addEventListener('queue', event => {
    $('live').classList.add('on');
    snapshot = JSON.parse(event.data);
    snapshotReceivedAt = Date.now();
    renderQueue();
  });
}

function renderQueue() {
  $('waiting-count').textContent = snapshot.waiting;
  const waiting = snapshot.items.filter(i => i.state === 'waiting_for_human');
  const mine = snapshot.items.filter(i => i.state === 'human' && i.assigned_agent === me.name);
  const others = snapshot.items.filter(i => i.state === 'human' && i.assigned_agent !== me.name);
  const list = $('queue');
  fill(list,
    waiting.length ? null : el('p', { class: 'muted' }, '暂无排队的会话'),
    waiting.map(queueItem),
    mine.length ? el('p', { class: 'queue-group' }, '我接待中') : null,
    mine.map(queueItem),
    others.length ? el('p', { class: 'queue-group' }, '其他客服接待中') : null,
    others.map(queueItem));
}

/**
 * How long a customer has waited, counted on the server's clock: the feed only sends changes, so the page keeps the
 * numbers moving itself (the offset to the server's clock is taken from the snapshot's time).
 */
function waitedSeconds(item) {
  if (!item.queued_at) return item.waited_seconds;
  const skew = snapshotReceivedAt - Date.parse(snapshot.at);
  return Math.max(0, (Date.now() - skew - Date.parse(item.queued_at)) / 1000);
}

function queueItem(item) {
  const waiting = item.state === 'waiting_for_human';
  return el('button', {
    type: 'button', class: `queue-item${item.session_id === selected ? ' selected' : ''}`, dataset: { session: item.session_id },
    onclick: () => select(item.session_id),
  },
  el('div', { class: 'line' },
    waiting ? el('strong', {}, `第 ${item.position} 位`) : el('strong', {}, item.assigned_agent),
    el('span', { class: 'muted' }, waiting ? `已等待 ${formatWait(waitedSeconds(item))}` : formatTime(item.updated_at))),
  el('div', { class: 'preview' }, item.preview || '（无消息）'),
  item.handoff_reason ? el('div', {}, el('span', { class: 'pill warn' }, handoffReasons[item.handoff_reason] ?? item.handoff_reason)) : null);
}

async function select(sessionId) {
  selected = sessionId;
  lastRendered = '';
  renderQueue();
  clearInterval(refreshTimer);
  refreshTimer = setInterval(() => load(false), refreshMilliseconds);
  await load(true);
  await suggest();
}

/** Reads the whole conversation; re-read every few seconds while open, so new customer messages show up. */
async function load(focus) {
  if (!selected) return;
  let session;
  try {
    session = await api(`/agent/sessions/${encodeURIComponent(selected)}`);
  } catch (error) {
    showNotice(`读取会话失败：${error.message}`);
    return;
  }
  const signature = JSON.stringify([session.state, session.assigned_agent, session.messages.length, session.turns.length]);
  if (signature === lastRendered) return;
  const customerSpoke = lastRendered && session.messages.at(-1)?.role === 'user';
  lastRendered = signature;
  render(session, focus);
  if (customerSpoke) await suggest();
}

function render(session, focus) {
  $('no-conversation').hidden = true;
  const body = $('conversation-body');
  body.hidden = false;
  const mine = session.state === 'human' && session.assigned_agent === me.name;
  const stateLabel = { bot: '机器人接待', waiting_for_human: '等待人工', human: `人工接待：${session.assigned_agent}`, resolved: '已解决' }[session.state];
  const draft = $('reply')?.value ?? '';
  fill(body,
    el('div', { class: 'conversation-head' },
      el('strong', {}, `会话 ${session.session_id.slice(0, 10)}…`),
      el('span', { class: 'pill info', id: 'session-state' }, stateLabel),
      el('div', { class: 'actions' },
        session.state === 'waiting_for_human' ? el('button', { type: 'button', class: 'primary', id: 'claim', onclick: () => act('accept') }, '接入会话') : null,
        mine ? el('button', { type: 'button', id: 'release', onclick: () => act('release') }, '交还机器人') : null,
        mine ? el('button', { type: 'button', class: 'primary', id: 'resolve', onclick: () => act('resolve') }, '标记已解决') : null)),
    session.handoff_reason
      ? el('div', { class: 'handoff-note', id: 'handoff-reason' }, `转人工原因：${handoffReasons[session.handoff_reason] ?? session.handoff_reason}`
        + (session.queued_at ? ` · ${formatTime(session.queued_at)} 进入队列` : ''))
      : null,
    el('div', { class: 'timeline', id: 'timeline' }, timeline(session)),
    el('p', { class: 'notice bad', id: 'notice' }),
    mine ? el('form', { class: 'reply-box', onsubmit: reply },
      el('textarea', { id: 'reply', placeholder: '回复客户…（Ctrl+Enter 发送）', onkeydown: e => { if (e.key === 'Enter' && e.ctrlKey) reply(e); } }),
      el('button', { type: 'submit', class: 'primary', id: 'send-reply' }, '发送')) : null);
  if ($('reply')) {
    $('reply').value = draft;
    if (focus) $('reply').focus();
  }
  const timelineBox = $('timeline');
  timelineBox.scrollTop = timelineBox.scrollHeight;
  renderSlots(session);
}

/**
 * Messages with each turn's log under the customer's message: intent, why the router decided so, tool calls and
 * their outcomes, whether it was answered or handed off.
 */
function timeline(session) {
  const rows = [];
  // Each turn belongs to the last customer message said at or before it was logged (a conversation an OpenAI-style
  // client handed over carries earlier messages with no log of their own).
  const logs = new Map();
  for (const log of session.turns) {
    const index = session.messages.findLastIndex(m => m.role === 'user' && Date.parse(m.at) <= Date.parse(log.at));
    if (index >= 0) logs.set(index, [...(logs.get(index) ?? []), log]);
  }
  session.messages.forEach((message, index) => {
    const role = message.role === 'assistant' ? 'assistant' : message.role;
    const who = role === 'user' ? '客' : role === 'agent' ? '人' : '机';
    const name = role === 'agent' ? '人工客服' : role === 'assistant' ? '机器人' : '客户';
    rows.push(el('div', { class: `bubble-row ${role}` }, el('div', { class: 'who' }, who),
      el('div', { class: 'bubble' }, el('span', { class: 'name' }, `${name} · ${formatTime(message.at)}`), message.content)));
    for (const log of logs.get(index) ?? []) rows.push(turnNote(log));
  });
  return rows;
}

function turnNote(log) {
  let tools = [];
  try { tools = JSON.parse(log.tool_calls_json); } catch { tools = []; }
  return el('div', { class: 'turn-note' },
    el('span', { class: 'pill' }, intents[log.intent] ?? log.intent),
    el('span', {}, log.reason),
    log.confidence != null ? el('span', {}, `置信度 ${log.confidence.toFixed(2)}`) : null,
    tools.map(t => el('span', { class: 'tool', title: t.message ?? '' }, `${t.name}(${t.arguments}) → ${toolOutcomes[t.outcome] ?? t.outcome}`)),
    log.resolved ? null : el('span', { class: 'pill bad' }, '未解答'),
    log.handoff ? el('span', { class: 'pill warn' }, '转人工') : null,
    el('span', {}, `${Math.round(log.latency_milliseconds)} ms`));
}

function renderSlots(session) {
  const names = { order_id: '订单号', product: '商品', phone: '手机号', tracking_no: '运单号' };
  const entries = Object.entries(session.slots ?? {});
  $('slots').replaceChildren(...(entries.length
    ? entries.flatMap(([k, v]) => [el('dt', {}, names[k] ?? k), el('dd', {}, v)])
    : [el('dt', {}, '已识别'), el('dd', { class: 'muted' }, '暂无')]));
}

async function suggest() {
  if (!selected) return;
  try {
    const hits = await api(`/agent/sessions/${encodeURIComponent(selected)}/suggestions`);
    $('suggestions').replaceChildren(...(hits.length ? hits.map(suggestion) : [el('p', { class: 'muted' }, '知识库中没有相关内容')]));
  } catch (error) {
    $('suggestions').replaceChildren(el('p', { class: 'notice bad' }, error.message));
  }
}

function suggestion(hit) {
  return el('div', { class: 'suggestion' },
    el('h3', {}, hit.title),
    el('p', {}, hit.text),
    el('footer', {}, el('span', {}, `${hit.source} · ${Math.round(hit.confidence * 100)}%`),
      el('button', { type: 'button', onclick: () => insert(hit.text) }, '引用')));
}

function insert(text) {
  const box = $('reply');
  if (!box) {
    showNotice('请先接入会话');
    return;
  }
  box.value = box.value ? `${box.value}\n${text}` : text;
  box.focus();
}

async function act(action) {
  try {
    await api(`/agent/sessions/${encodeURIComponent(selected)}/${action}`, { method: 'POST' });
    lastRendered = '';
    await load(action === 'accept');
  } catch (error) {
    showNotice(error.status === 409 ? `操作失败：${error.message}` : error.message);
    lastRendered = '';
    await load(false);
  }
}

async function reply(event) {
  event.preventDefault();
  const text = $('reply').value.trim();
  if (!text) return;
  $('send-reply').disabled = true;
  try {
    await api(`/agent/sessions/${encodeURIComponent(selected)}/reply`, { method: 'POST', body: { message: text } });
    $('reply').value = '';
    lastRendered = '';
    await load(true);
  } catch (error) {
    showNotice(error.message);
  } finally {
    if ($('send-reply')) $('send-reply').disabled = false;
  }
}

function showNotice(text) {
  const notice = $('notice');
  if (notice) notice.textContent = text;
}

start();
