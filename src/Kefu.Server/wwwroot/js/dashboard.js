// The dashboard (admins): live figures from the conversation log, the questions the bot misses, knowledge upload and
// search, and the sensitive-word lists. Refreshes every few seconds.
import { el, api, formatTime } from './common.js';
import { lineChart, barChart, legend } from './charts.js';

const $ = id => document.getElementById(id);
const refreshMilliseconds = 5000;
const percent = v => (v == null ? '—' : `${(v * 100).toFixed(1)}%`);
const colors = { p50: '#2f8f5b', p95: '#d48a1a', resolution: '#2f8f5b', handoff: '#c8453b', tools: '#2f6fb0' };

async function start() {
  let me;
  try {
    me = await api('/api/agent/me');
  } catch {
    me = null;
  }
  if (!me?.admin) {
    $('denied').hidden = false;
    return;
  }
  $('who').textContent = `${me.display_name}（${me.name}）`;
  $('dash').hidden = false;
  $('window').addEventListener('change', refresh);
  $('kb-upload').addEventListener('click', upload);
  $('kb-search-form').addEventListener('submit', search);
  $('word-form').addEventListener('submit', addWord);
  await Promise.all([refresh(), loadKnowledge(), loadWords()]);
  setInterval(refresh, refreshMilliseconds);
}

async function refresh() {
  const window = $('window').value;
  try {
    const [summary, unanswered] = await Promise.all([
      api(`/api/dashboard/summary?window=${window}`),
      api(`/api/dashboard/unanswered?window=${window}&limit=10`),
    ]);
    renderKpis(summary);
    renderCharts(summary);
    renderUnanswered(unanswered);
    $('updated').textContent = `更新于 ${new Date().toLocaleTimeString('zh-CN')}`;
  } catch (error) {
    $('updated').textContent = `刷新失败：${error.message}`;
  }
}

function kpi(id, label, value, sub) {
  return el('div', { class: 'card kpi', id }, el('div', { class: 'label' }, label), el('div', { class: 'value' }, value), sub ? el('div', { class: 'sub' }, sub) : null);
}

function renderKpis(s) {
  $('kpis').replaceChildren(
    kpi('kpi-turns', '对话轮次', s.turns, `${s.conversations} 个会话`),
    kpi('kpi-resolution', '解决率', percent(s.resolution_rate)),
    kpi('kpi-handoffs', '转人工', s.handoffs, `转人工率 ${percent(s.handoff_rate)}`),
    kpi('kpi-tools', '工具成功率', percent(s.tool_success_rate), `${s.tool_calls} 次调用`),
    kpi('kpi-latency', '延迟 p50 / p95', s.latency_p50_ms == null ? '—' : `${Math.round(s.latency_p50_ms)} / ${Math.round(s.latency_p95_ms)}`, '毫秒'),
    kpi('kpi-satisfaction', '满意度', s.satisfaction == null ? '—' : `${s.satisfaction.toFixed(2)} / 5`, `${s.ratings} 条评价`));
}

function bucketLabel(iso, window) {
  const date = new Date(iso);
  if (window === '7d') return `${date.getMonth() + 1}/${date.getDate()}`;
  return date.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' });
}

function renderCharts(s) {
  const labels = s.buckets.map(b => bucketLabel(b.start, s.window));
  const latency = [
    { name: 'p50', color: colors.p50, values: s.buckets.map(b => b.latency_p50_ms) },
    { name: 'p95', color: colors.p95, values: s.buckets.map(b => b.latency_p95_ms) },
  ];
  legend($('latency-legend'), latency);
  $('latency-chart').replaceChildren(lineChart(labels, latency));
  const rates = [
    { name: '解决率', color: colors.resolution, values: s.buckets.map(b => b.resolution_rate) },
    { name: '转人工率', color: colors.handoff, values: s.buckets.map(b => b.handoff_rate) },
    { name: '工具成功率', color: colors.tools, values: s.buckets.map(b => b.tool_success_rate) },
  ];
  legend($('rates-legend'), rates);
  $('rates-chart').replaceChildren(lineChart(labels, rates, { max: 1, format: v => `${Math.round(v * 100)}%` }));
  $('turns-chart').replaceChildren(barChart(labels, s.buckets.map(b => b.turns)));
  $('satisfaction-chart').replaceChildren(barChart(['1 星', '2 星', '3 星', '4 星', '5 星'], s.rating_counts, { color: '#f0a500' }));
}

function renderUnanswered(rows) {
  $('unanswered').replaceChildren(...(rows.length
    ? rows.map(q => el('tr', {}, el('td', {}, q.question), el('td', {}, q.count), el('td', {}, q.handoffs), el('td', { class: 'muted' }, formatTime(q.last_at))))
    : [el('tr', {}, el('td', { colspan: 4, class: 'muted' }, '暂无'))]));
}

async function loadKnowledge() {
  try {
    const stats = await api('/api/dashboard/knowledge');
    $('kb-stats').textContent = `${stats.sources} 个文件，${stats.chunks} 个知识片段`;
  } catch (error) {
    $('kb-stats').textContent = error.message;
  }
}

async function upload() {
  const file = $('kb-file').files[0];
  const notice = $('kb-notice');
  if (!file) {
    notice.className = 'notice bad';
    notice.textContent = '请选择 .md 或 .csv 文件';
    return;
  }
  notice.className = 'notice';
  notice.textContent = '导入中…';
  try {
    const report = await api(`/api/dashboard/knowledge/files?name=${encodeURIComponent(file.name)}`, {
      method: 'POST', raw: file, headers: { 'Content-Type': file.name.endsWith('.csv') ? 'text/csv' : 'text/markdown' },
    });
    const chunks = report.imported.reduce((sum, f) => sum + f.chunks, 0);
    notice.className = 'notice ok';
    notice.textContent = report.imported.length ? `已导入 ${file.name}：${chunks} 个片段` : `${file.name} 内容未变化，无需导入`;
    await loadKnowledge();
  } catch (error) {
    notice.className = 'notice bad';
    notice.textContent = `导入失败：${error.message}`;
  }
}

async function search(event) {
  event.preventDefault();
  const query = $('kb-query').value.trim();
  if (!query) return;
  try {
    const hits = await api(`/api/dashboard/knowledge/search?q=${encodeURIComponent(query)}`);
    $('kb-results').replaceChildren(...(hits.length
      ? hits.map(h => el('div', { class: 'suggestion' }, el('h3', {}, h.title), el('p', {}, h.text),
        el('footer', {}, el('span', {}, `${h.source}#${h.anchor}`), el('span', {}, `置信度 ${h.confidence.toFixed(2)}`))))
      : [el('p', { class: 'muted' }, '没有找到相关内容：机器人会回答“不知道”并可能转人工')]));
  } catch (error) {
    $('kb-results').replaceChildren(el('p', { class: 'notice bad' }, error.message));
  }
}

async function loadWords() {
  try {
    const lists = await api('/api/dashboard/words');
    const actions = { flag: '记录', mask: '打码', block: '拦截' };
    $('word-form').hidden = !lists.editable;
    $('word-category').replaceChildren(...lists.categories.map(c => el('option', { value: c.name }, c.name)));
    $('word-lists').replaceChildren(...(lists.categories.length
      ? lists.categories.map(c => el('details', { class: 'word-cat', dataset: { category: c.name } },
        el('summary', {}, `${c.name} · ${c.words.length} 个词 · 严重度 ${c.severity} · 输入${actions[c.input_action] ?? c.input_action} / 输出${actions[c.output_action] ?? c.output_action}`),
        el('div', { class: 'words' }, c.words.map(w => el('span', {}, w)))))
      : [el('p', { class: 'muted' }, '使用内置词库（未配置词库文件，不可编辑）')]));
  } catch (error) {
    $('word-lists').replaceChildren(el('p', { class: 'notice bad' }, error.message));
  }
}

async function addWord(event) {
  event.preventDefault();
  const notice = $('word-notice');
  try {
    const result = await api('/api/dashboard/words', { method: 'POST', body: { category: $('word-category').value, word: $('word').value } });
    notice.className = 'notice ok';
    notice.textContent = result.added ? `已添加“${result.word}”到 ${result.category}，立即生效` : `“${result.word}”已在 ${result.category} 中`;
    $('word').value = '';
    await loadWords();
  } catch (error) {
    notice.className = 'notice bad';
    notice.textContent = error.message;
  }
}

start();
