// A chart message (assistant/charts.py) drawn as inline SVG with DOM calls only: every label
// is a text node, so nothing from the server is ever parsed as markup.
import { say } from "./texts.js";

const SVG = "http://www.w3.org/2000/svg";
const HEIGHT = 280;
const MARGIN = { top: 36, right: 16, bottom: 52, left: 64 };

function node(name, attributes = {}, text = null) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== null) element.textContent = text;
  return element;
}

// A round step (1, 2 or 5 times a power of ten) giving about four gridlines from zero.
function niceStep(maximum) {
  const rough = maximum / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= rough);
  return step || power * 10;
}

function axisNumber(value, language) {
  const locale = language === "zh" ? "zh-CN" : "en";
  return new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(value);
}

let chartCount = 0;

export function drawChart(chart, width) {
  const id = `chart-${++chartCount}`;
  const figure = document.createElement("figure");
  figure.className = "chart";
  const w = Math.max(280, Math.min(720, Math.floor(width)));
  const svg = node("svg", { viewBox: `0 0 ${w} ${HEIGHT}`, width: "100%", role: "img",
                            "aria-labelledby": `${id}-title`, lang: chart.language === "zh" ? "zh-CN" : "en" });
  svg.append(node("title", { id: `${id}-title` }, chart.title));
  svg.append(node("text", { x: w / 2, y: 20, "text-anchor": "middle", class: "chart-title" }, chart.title));

  const plotW = w - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const maximum = Math.max(...chart.points.map((p) => p.value), 1);
  const step = niceStep(maximum * 1.15);
  const top = step * Math.ceil((maximum * 1.15) / step);
  const y = (value) => MARGIN.top + plotH - (value / top) * plotH;  // from zero, always
  // Years are placed by their distance in time (2021, 2022, 2025 are not evenly spaced);
  // other labels evenly.
  const years = chart.points.map((p) => Number(p.x));
  const timed = years.every((year) => Number.isInteger(year)) && years[years.length - 1] > years[0];
  const first = years[0];
  const span = years[years.length - 1] - first;
  const pad = plotW / (chart.points.length * 2);
  const x = (index) => timed
    ? MARGIN.left + pad + ((years[index] - first) / span) * (plotW - 2 * pad)
    : MARGIN.left + pad * (2 * index + 1);
  const gaps = chart.points.slice(1).map((_, i) => x(i + 1) - x(i));
  const slot = Math.min(...gaps, plotW);

  for (let tick = 0; tick <= top + step / 2; tick += step) {
    svg.append(node("line", { x1: MARGIN.left, x2: w - MARGIN.right, y1: y(tick), y2: y(tick), class: "grid" }));
    svg.append(node("text", { x: MARGIN.left - 6, y: y(tick) + 4, "text-anchor": "end", class: "tick" },
                    axisNumber(tick, chart.language)));
  }
  svg.append(node("line", { x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: MARGIN.top + plotH, class: "axis" }));
  svg.append(node("line", { x1: MARGIN.left, x2: w - MARGIN.right, y1: y(0), y2: y(0), class: "axis" }));
  svg.append(node("text", { x: MARGIN.left + plotW / 2, y: HEIGHT - 8, "text-anchor": "middle", class: "axis-label" },
                  chart.x_label));
  svg.append(node("text", { x: 14, y: MARGIN.top + plotH / 2, "text-anchor": "middle", class: "axis-label",
                            transform: `rotate(-90 14 ${MARGIN.top + plotH / 2})` }, chart.y_label));

  if (chart.kind === "line") {
    const path = chart.points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
    svg.append(node("path", { d: path, class: "series-line" }));
  }
  // Labels close together take turns above: none hides another at 375 px.
  const crowded = slot < 120;
  chart.points.forEach((point, i) => {
    if (chart.kind === "bar") {
      const barW = Math.min(56, slot * 0.6);
      svg.append(node("rect", { x: x(i) - barW / 2, y: y(point.value), width: barW,
                                height: y(0) - y(point.value), class: "series-bar" }));
    } else {
      svg.append(node("circle", { cx: x(i), cy: y(point.value), r: 4, class: "series-point" }));
    }
    const lift = crowded && i % 2 === 1 ? 20 : 8;
    // Kept inside the plot: the chart is drawn before it is shown, so the width is estimated
    // (12 px type: a Chinese character is 12 px wide, a Latin one about 7).
    const half = [...point.label].reduce((sum, c) => sum + (/[\u3000-\u9fff]/.test(c) ? 12 : 7), 0) / 2;
    const labelX = Math.min(Math.max(x(i), MARGIN.left + half + 2), w - MARGIN.right - half);
    svg.append(node("text", { x: labelX, y: y(point.value) - lift, "text-anchor": "middle", class: "point-label" },
                    point.label));
    svg.append(node("text", { x: x(i), y: y(0) + 18, "text-anchor": "middle", class: "tick" }, point.x));
  });
  figure.append(svg);

  // The same figures as a table: for screen readers, and exact where the chart is small.
  const table = document.createElement("table");
  table.className = "chart-table";
  const head = table.createTHead().insertRow();
  for (const key of ["chart_table_year", "chart_table_figure"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = say(chart.language, key);
    head.append(th);
  }
  const body = table.createTBody();
  for (const point of chart.points) {
    const row = body.insertRow();
    row.insertCell().textContent = point.x;
    row.insertCell().textContent = point.label;
  }
  figure.append(table);
  const caption = document.createElement("figcaption");
  caption.textContent = chart.caption;
  figure.append(caption);
  return figure;
}
