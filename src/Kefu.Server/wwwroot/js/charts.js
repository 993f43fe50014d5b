// Hand-drawn SVG charts (no library, no CDN): a line chart for series over time buckets and a bar chart.
const ns = 'http://www.w3.org/2000/svg';
const width = 560;
const height = 200;
const pad = { left: 44, right: 10, top: 10, bottom: 24 };

function node(tag, attributes, text) {
  const element = document.createElementNS(ns, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

function frame() {
  return node('svg', { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img' });
}

function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map(m => m * power).find(m => m >= value);
}

function axes(svg, max, labels, format) {
  const plotHeight = height - pad.top - pad.bottom;
  for (let i = 0; i <= 4; i++) {
    const y = pad.top + plotHeight - (plotHeight * i) / 4;
    svg.append(node('line', { x1: pad.left, x2: width - pad.right, y1: y, y2: y, stroke: '#e6ece9' }));
    svg.append(node('text', { x: pad.left - 6, y: y + 4, 'text-anchor': 'end' }, format((max * i) / 4)));
  }
  const step = Math.max(1, Math.ceil(labels.length / 8));
  labels.forEach((label, i) => {
    if (i % step) return;
    svg.append(node('text', { x: xAt(i, labels.length), y: height - 6, 'text-anchor': 'middle' }, label));
  });
}

function xAt(i, count) {
  const plotWidth = width - pad.left - pad.right;
  return pad.left + (count <= 1 ? plotWidth / 2 : (plotWidth * i) / (count - 1));
}

function yAt(value, max) {
  const plotHeight = height - pad.top - pad.bottom;
  return pad.top + plotHeight - (plotHeight * value) / max;
}

/**
 * series: [{name, color, values: [number|null]}]; gaps (null) break the line. options: {max, format}.
 * Returns the SVG element; single points get a dot so a lone bucket still shows.
 */
export function lineChart(labels, series, { max, format = v => String(Math.round(v)) } = {}) {
  const svg = frame();
  const top = max ?? niceMax(Math.max(0, ...series.flatMap(s => s.values.filter(v => v != null))));
  axes(svg, top, labels, format);
  for (const s of series) {
    let path = '';
    let open = false;
    s.values.forEach((value, i) => {
      if (value == null) { open = false; return; }
      path += `${open ? 'L' : 'M'}${xAt(i, labels.length).toFixed(1)},${yAt(value, top).toFixed(1)} `;
      open = true;
      svg.append(node('circle', { cx: xAt(i, labels.length), cy: yAt(value, top), r: 2.5, fill: s.color }, undefined));
    });
    if (path) svg.append(node('path', { d: path, fill: 'none', stroke: s.color, 'stroke-width': 2, 'data-series': s.name }));
  }
  return svg;
}

/** values: [number]; one bar per label. */
export function barChart(labels, values, { color = '#2f8f5b', format = v => String(Math.round(v)) } = {}) {
  const svg = frame();
  // Counts: at least 4, so the four gridlines fall on whole numbers.
  const top = Math.max(4, niceMax(Math.max(0, ...values)));
  axes(svg, top, labels, format);
  const plotWidth = width - pad.left - pad.right;
  const slot = plotWidth / Math.max(1, labels.length);
  values.forEach((value, i) => {
    const barHeight = (height - pad.top - pad.bottom) * (value / top);
    const x = pad.left + slot * i + slot * 0.15;
    svg.append(node('rect', { x, y: yAt(value, top), width: slot * 0.7, height: Math.max(0, barHeight), rx: 3, fill: color, 'data-value': value }));
  });
  // Bars sit between the axis labels, so relabel under each bar.
  svg.querySelectorAll('text[text-anchor=middle]').forEach(t => t.remove());
  const step = Math.max(1, Math.ceil(labels.length / 8));
  labels.forEach((label, i) => {
    if (i % step) return;
    svg.append(node('text', { x: pad.left + slot * i + slot / 2, y: height - 6, 'text-anchor': 'middle' }, label));
  });
  return svg;
}

/** A legend row: [{name, color}]. */
export function legend(container, series) {
  container.replaceChildren(...series.map(s => {
    const item = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.style.background = s.color;
    item.append(swatch, s.name);
    return item;
  }));
}
