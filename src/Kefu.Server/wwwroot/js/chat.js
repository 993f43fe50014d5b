// The customer chat (full page, and inside the widget's frame with ?embed=1). Talks to the public customer channel:
// POST /api/customer/chat streams each reply; while a person has (or is about to have) the conversation the page follows
// it live (GET /api/customer/sessions/{id}/events, an EventSource that reconnects by itself and resumes after the last
// message it had); only when the stream fails again and again does it poll the conversation instead.
import { el, api, postEvents, orderCard, sourcesLine } from './common.js';

const storageKey = 'kefu.session';
const pollMilliseconds = 2000;
const streamFailuresBeforePolling = 3;
const streamRetryMilliseconds = 3000;
const $ = id => document.getElementById(id);
const embedded = new URLSearchParams(location.search).has('embed');

let sessionId = localStorage.getItem(storageKey);
let state = 'bot';
let config = { assistant_name: '智能客服', shop_name: '在线客服', quick_replies: [] };
let pollTimer = null;
let stream = null;
let streamRetry = null;
let streamFailures = 0;
let busy = false;
let score = 0;
let agentName = null;
// Messages are numbered in the conversation (seq). Every agent message up to seenUpTo has been shown; shown holds the
// numbers of those shown since, so a message that arrives twice (stream, poll, restore) shows once.
let seenUpTo = 0;
const shown = new Set();
// The conversation is at its message limit: once it is over, the next message starts a new one.
let startFresh = false;

function scrollDown() {
  const box = $('messages');
  box.scrollTop = box.scrollHeight;
}

function bubble(role, text, name) {
  const who = role === 'user' ? '我' : role === 'agent' ? '人' : '禾';
  const body = el('div', { class: 'bubble' }, name ? el('span', { class: 'name' }, name) : null, text);
  const row = el('div', { class: `bubble-row ${role}`, dataset: { role } }, role === 'system' ? null : el('div', { class: 'who' }, who), body);
  $('messages').append(row);
  scrollDown();
  return body;
}

function typing() {
  const row = el('div', { class: 'bubble-row assistant typing-row' }, el('div', { class: 'who' }, '禾'),
    el('div', { class: 'bubble typing', 'aria-label': '正在输入' }, el('span'), el('span'), el('span')));
  $('messages').append(row);
  scrollDown();
  return row;
}

function setState(next, position = 0, agent = null) {
  state = next;
  agentName = agent;
  const banner = $('banner');
  banner.classList.toggle('human', next === 'human');
  if (next === 'waiting_for_human') {
    $('status').textContent = '正在转接人工客服';
    banner.textContent = position > 0 ? `您正在排队，当前第 ${position} 位，客服接入后会马上回复您。` : '正在为您转接人工客服…';
    banner.hidden = false;
  } else if (next === 'human') {
    $('status').textContent = '人工客服为您服务中';
    banner.textContent = `${agentName ?? '人工客服'}已接入，请直接描述您的问题。`;
    banner.hidden = false;
  } else {
    $('status').textContent = next === 'resolved' ? '对话已结束' : `${config.assistant_name}在线`;
    banner.hidden = true;
  }
  $('human').disabled = next === 'waiting_for_human' || next === 'human';
  if (next === 'resolved') showRating();
  if (next === 'waiting_for_human' || next === 'human') follow();
  else unfollow();
}

/** An agent's message, once, however often it arrives. */
function showAgentMessage(message) {
  if (message.role !== 'agent' || shown.has(message.seq) || message.seq <= seenUpTo) return;
  shown.add(message.seq);
  bubble('agent', message.content, agentName ?? '人工客服');
}

/** Follows the conversation live; after repeated failures (no EventSource, refused, proxy trouble) polls instead. */
function follow() {
  if (!sessionId || stream || streamRetry || pollTimer) return;
  if (typeof EventSource === 'undefined' || streamFailures >= streamFailuresBeforePolling) {
    pollTimer = setInterval(poll, pollMilliseconds);
    return;
  }
  const source = new EventSource(`/api/customer/sessions/${encodeURIComponent(sessionId)}/events?after=${seenUpTo}`);
  stream = source;
  source.addEventListener('open', () => { streamFailures = 0; });
  source.addEventListener('message', event => {
    const message = JSON.parse(event.data);
    showAgentMessage(message);
    seenUpTo = Math.max(seenUpTo, message.seq);
  });
  source.addEventListener('state', event => {
    const update = JSON.parse(event.data);
    if (update.state !== state || update.queue_position || update.agent_name !== agentName) {
      setState(update.state, update.queue_position, update.agent_name);
    }
  });
  source.addEventListener('error', () => {
    if (stream !== source) return;
    streamFailures++;
    // A dropped connection is retried by the EventSource itself (with Last-Event-ID); a refused one (an HTTP error)
    // is closed for good, so it is opened again here, a little later.
    if (source.readyState === EventSource.CLOSED || streamFailures >= streamFailuresBeforePolling) {
      source.close();
      stream = null;
      streamRetry = setTimeout(() => { streamRetry = null; follow(); }, streamFailures >= streamFailuresBeforePolling ? 0 : streamRetryMilliseconds);
    }
  });
}

function unfollow() {
  stream?.close();
  stream = null;
  clearTimeout(streamRetry);
  streamRetry = null;
  clearInterval(pollTimer);
  pollTimer = null;
}

/** The fallback: shows the agent's replies that arrived since the last look, and follows the conversation's state. */
async function poll() {
  if (!sessionId || busy) return;
  try {
    const session = await api(`/api/customer/sessions/${encodeURIComponent(sessionId)}`);
    for (const message of session.messages) showAgentMessage(message);
    seenUpTo = Math.max(seenUpTo, session.seq);
    if (session.state !== state || session.queue_position) setState(session.state, session.queue_position, agentName);
  } catch (error) {
    if (error.status === 404) forget();
  }
}

function forget() {
  localStorage.removeItem(storageKey);
  sessionId = null;
  seenUpTo = 0;
  shown.clear();
  startFresh = false;
  setState('bot');
}

async function send(text) {
  text = text.trim();
  if (!text || busy) return;
  busy = true;
  $('send').disabled = true;
  $('input').value = '';
  $('rating').hidden = true;
  bubble('user', text);
  const indicator = typing();
  let body = null;
  let streamed = '';
  if (startFresh && (state === 'resolved' || state === 'bot')) forget();
  try {
    await postEvents('/api/customer/chat', { session_id: sessionId, message: text }, (type, data) => {
      if (type === 'delta') {
        if (!body) {
          indicator.remove();
          body = bubble('assistant', '');
        }
        streamed += data.text;
        body.textContent = streamed;
        scrollDown();
      } else if (type === 'done') {
        finish(data, indicator, body);
      } else if (type === 'error') {
        indicator.remove();
        bubble('system', data.message);
      }
    });
  } catch (error) {
    indicator.remove();
    if (error.status === 404) {
      forget();
      bubble('system', '会话已过期，请重新发送您的问题。');
    } else if (error.status === 429) {
      bubble('system', '您发送得太快了，请稍后再试。');
    } else {
      bubble('system', `消息发送失败：${error.message}`);
    }
  } finally {
    busy = false;
    $('send').disabled = false;
    $('input').focus();
  }
}

/** The end of a streamed turn: the final text (a guard may have replaced it), sources, order card, hand-off state. */
function finish(turn, indicator, body) {
  indicator.remove();
  sessionId = turn.session_id;
  localStorage.setItem(storageKey, sessionId);
  if (turn.turn_limit_reached) startFresh = true;
  if (turn.reply) {
    body ??= bubble('assistant', '');
    body.textContent = turn.reply;
    const sources = sourcesLine(turn.sources);
    if (sources) body.append(sources);
    if (turn.order) body.append(orderCard(turn.order));
  } else {
    body?.closest('.bubble-row')?.remove();
  }
  setState(turn.state, turn.queue_position, agentName);
  scrollDown();
}

function showRating() {
  if (!sessionId) return;
  $('rating').hidden = false;
  $('thanks').hidden = true;
  $('submit-rating').hidden = false;
  scrollDown();
}

async function submitRating() {
  try {
    await api(`/api/customer/sessions/${encodeURIComponent(sessionId)}/rating`, { method: 'POST', body: { score, comment: $('comment').value } });
    $('thanks').hidden = false;
    $('submit-rating').hidden = true;
  } catch (error) {
    bubble('system', `评价提交失败：${error.message}`);
  }
}

function buildStars() {
  for (let i = 1; i <= 5; i++) {
    $('stars').append(el('button', {
      type: 'button', 'aria-label': `${i} 星`, dataset: { score: i },
      onclick: () => {
        score = i;
        for (const star of $('stars').children) star.classList.toggle('on', Number(star.dataset.score) <= i);
        $('submit-rating').disabled = false;
      },
    }, '★'));
  }
}

/** A returning customer sees their conversation again (the server keeps the last messages). */
async function restore() {
  if (!sessionId) return false;
  try {
    const session = await api(`/api/customer/sessions/${encodeURIComponent(sessionId)}`);
    for (const message of session.messages) {
      if (message.content) bubble(message.role, message.content, message.role === 'agent' ? '人工客服' : null);
    }
    seenUpTo = session.seq;
    setState(session.state, session.queue_position);
    return session.messages.length > 0;
  } catch {
    forget();
    return false;
  }
}

async function start() {
  document.body.classList.toggle('embed', embedded);
  $('close').hidden = !embedded;
  $('close').addEventListener('click', () => window.parent.postMessage({ kefu: 'close' }, '*'));
  buildStars();
  try {
    config = await api('/api/customer/config');
  } catch {
    // The page still works with the defaults.
  }
  document.title = `${config.shop_name} · 在线客服`;
  $('title').textContent = config.shop_name;
  $('avatar').textContent = config.shop_name.slice(0, 1);
  for (const question of config.quick_replies ?? []) $('quick').append(el('button', { type: 'button', onclick: () => send(question) }, question));
  const restored = await restore();
  if (!restored) {
    const hours = config.human_service_hours ? `人工客服时间：${config.human_service_hours}。` : '';
    bubble('assistant', `您好，我是${config.shop_name}的${config.assistant_name}，请问有什么可以帮您？${hours}`);
    setState('bot');
  }
  $('composer').addEventListener('submit', event => {
    event.preventDefault();
    send($('input').value);
  });
  $('human').addEventListener('click', () => send('转人工'));
  $('end').addEventListener('click', showRating);
  $('submit-rating').addEventListener('click', submitRating);
}

start();
