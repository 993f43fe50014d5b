// The customer chat (full page, and inside the widget's frame with ?embed=1). Talks to the public customer channel:
// POST /api/customer/chat streams each reply; while a person has the conversation the page polls it for their replies.
import { el, api, postEvents, orderCard, sourcesLine } from './common.js';

const storageKey = 'kefu.session';
const pollMilliseconds = 2000;
const $ = id => document.getElementById(id);
const embedded = new URLSearchParams(location.search).has('embed');

let sessionId = localStorage.getItem(storageKey);
let state = 'bot';
let config = { assistant_name: '智能客服', shop_name: '在线客服', quick_replies: [] };
let pollTimer = null;
let busy = false;
let score = 0;
const shownAgentMessages = new Set();

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

function setState(next, position = 0) {
  state = next;
  const banner = $('banner');
  banner.classList.toggle('human', next === 'human');
  if (next === 'waiting_for_human') {
    $('status').textContent = '正在转接人工客服';
    banner.textContent = position > 0 ? `您正在排队，当前第 ${position} 位，客服接入后会马上回复您。` : '正在为您转接人工客服…';
    banner.hidden = false;
  } else if (next === 'human') {
    $('status').textContent = '人工客服为您服务中';
    banner.textContent = '人工客服已接入，请直接描述您的问题。';
    banner.hidden = false;
  } else {
    $('status').textContent = next === 'resolved' ? '对话已结束' : `${config.assistant_name}在线`;
    banner.hidden = true;
  }
  $('human').disabled = next === 'waiting_for_human' || next === 'human';
  if (next === 'resolved') showRating();
  if (next === 'waiting_for_human' || next === 'human') startPolling();
  else stopPolling();
}

function startPolling() {
  if (!pollTimer) pollTimer = setInterval(poll, pollMilliseconds);
}

function stopPolling() {
  clearInterval(pollTimer);
  pollTimer = null;
}

/** Shows the agent's replies that arrived since the last look, and follows the conversation's state. */
async function poll() {
  if (!sessionId || busy) return;
  try {
    const session = await api(`/api/customer/sessions/${encodeURIComponent(sessionId)}`);
    for (const message of session.messages) {
      const key = `${message.at}|${message.content}`;
      if (message.role === 'agent' && !shownAgentMessages.has(key)) {
        shownAgentMessages.add(key);
        bubble('agent', message.content, '人工客服');
      }
    }
    if (session.state !== state || session.queue_position) setState(session.state, session.queue_position);
  } catch (error) {
    if (error.status === 404) forget();
  }
}

function forget() {
  localStorage.removeItem(storageKey);
  sessionId = null;
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
  if (turn.reply) {
    body ??= bubble('assistant', '');
    body.textContent = turn.reply;
    const sources = sourcesLine(turn.sources);
    if (sources) body.append(sources);
    if (turn.order) body.append(orderCard(turn.order));
  } else {
    body?.closest('.bubble-row')?.remove();
  }
  setState(turn.state, turn.queue_position);
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
      if (message.role === 'agent') shownAgentMessages.add(`${message.at}|${message.content}`);
      if (message.content) bubble(message.role, message.content, message.role === 'agent' ? '人工客服' : null);
    }
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
