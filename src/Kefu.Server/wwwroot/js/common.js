// Helpers shared by the pages: element building (text only, never HTML strings: customer text is untrusted),
// JSON calls, server-sent events over a POST body, and the labels the pages show.

/** Creates an element: el('div', {class: 'x', onclick: f}, 'text', child). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces a node's children, with el()'s rules: arrays are flattened, null/false/undefined skipped. */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter(c => c !== undefined && c !== null && c !== false)
    .map(c => (c instanceof Node ? c : document.createTextNode(String(c)))));
  return node;
}

/** An HTTP error with the server's ProblemDetails text. */
export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

/**
 * Calls a JSON endpoint. Writes carry the CSRF header the agent cookie requires (a page elsewhere cannot send it).
 */
export async function api(path, { method = 'GET', body, raw, headers = {} } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin' };
  if (method !== 'GET') init.headers['X-Kefu-Csrf'] = '1';
  if (raw !== undefined) init.body = raw;
  else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  const data = text ? safeJson(text) : null;
  if (!response.ok) throw new ApiError(response.status, problemText(data) ?? `${response.status} ${response.statusText}`);
  return data;
}

function safeJson(text) {
  try { return JSON.parse(text); } catch { return text; }
}

function problemText(data) {
  if (!data || typeof data !== 'object') return typeof data === 'string' && data ? data : null;
  if (data.errors) return Object.values(data.errors).flat().join('；');
  return data.detail ?? data.title ?? null;
}

/**
 * POSTs JSON and reads the answer as server-sent events, calling onEvent(type, data) for each; resolves when the
 * stream ends. (EventSource only does GET.)
 */
export async function postEvents(path, body, onEvent) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    const text = await response.text();
    throw new ApiError(response.status, problemText(text ? safeJson(text) : null) ?? `${response.status}`);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) type = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(type, safeJson(data.join('\n')));
    }
  }
}

/** Why a conversation went to a person, in words. */
export const handoffReasons = {
  requested: '客户要求转人工',
  unresolved: '连续未能解答',
  complaint: '投诉',
  tool_unavailable: '订单系统不可用',
  negative_sentiment: '客户情绪激动',
  safety: '安全风险',
  turn_limit: '对话消息数达到上限',
};

export const intents = {
  knowledge: '知识问答', order_query: '订单查询', small_talk: '闲聊', complaint: '投诉', human_request: '转人工', unsafe: '不安全', human: '人工处理中',
};

export const toolOutcomes = {
  success: '成功', refused: '被拒绝', not_found: '未找到', invalid_arguments: '参数错误', unavailable: '不可用', needs_confirmation: '待确认',
};

export const orderStatusClass = status =>
  ['已取消', '退款中', '已退款'].includes(status) ? 'warn' : status === '待付款' ? 'info' : '';

export function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return date.toLocaleString('zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function formatWait(seconds) {
  if (seconds < 60) return `${Math.round(seconds)} 秒`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} 分钟`;
  return `${Math.floor(seconds / 3600)} 小时 ${Math.floor((seconds % 3600) / 60)} 分`;
}

export const yuan = amount => `¥${Number(amount).toFixed(2)}`;

/** The order card under a reply. */
export function orderCard(order) {
  return el('div', { class: 'order-card', 'data-order': order.order_id },
    el('header', {}, el('span', { class: 'order-id' }, `订单 ${order.order_id}`), el('span', { class: `pill ${orderStatusClass(order.status)}` }, order.status)),
    el('ul', {}, order.items.map(item => el('li', {}, el('span', {}, `${item.name} × ${item.quantity}`), el('span', {}, yuan(item.price))))),
    el('footer', {},
      el('span', {}, '实付 ', el('span', { class: 'amount' }, yuan(order.amount))),
      order.paid_at ? el('span', { class: 'muted' }, `付款 ${formatTime(order.paid_at)}`) : null,
      order.tracking_no ? el('span', { class: 'muted' }, `${order.carrier ?? ''} ${order.tracking_no}`) : null));
}

/** The sources line under a reply. */
export function sourcesLine(sources) {
  if (!sources?.length) return null;
  return el('div', { class: 'sources' }, el('span', { class: 'label' }, '参考：'),
    sources.map(s => el('span', { class: 'source', title: `${s.source}#${s.anchor}` }, s.title || s.source)));
}
