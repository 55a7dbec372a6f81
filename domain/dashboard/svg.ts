/**
 * Horizontal bar charts drawn as SVG text on the server: no script on the page, and no style
 * attribute (the pages' CSP allows only the stylesheet), so colours and sizes are presentation
 * attributes. Each row: its label on the left and its numbers on the right of one line, the bar
 * across the full width below, so the chart stays narrow enough for a phone and Chinese labels
 * never squeeze the bars.
 */

export interface BarSegment {
  value: number;
  fill: string;
  /** what the segment counts, for the hover title */
  name: string;
}

export interface BarRow {
  label: string;
  /** stacked from the left, in this order */
  segments: BarSegment[];
  /** a mark across the bar at this value (a quota) */
  target?: number | null;
  /** the numbers, right-aligned on the label's line */
  note: string;
}

export interface BarChartSpec {
  /** the element id of the chart: [a-z0-9-] */
  id: string;
  /** the chart's accessible name */
  title: string;
  rows: BarRow[];
  legend?: { name: string; fill: string }[];
  /** the colour of target marks, and its name in the legend */
  target?: { name: string; fill: string };
  /** shown instead of bars when there are no rows */
  empty: string;
  /** the value a full bar stands for; by default the largest bar or target */
  max?: number;
}

/** a phone's width less its margins, near enough: the text stays readable without scaling down much */
const WIDTH = 400;
const PAD = 8;
const LABEL_SIZE = 15;
const NOTE_SIZE = 13;
const LEGEND_SIZE = 13;
const BAR_HEIGHT = 16;
const ROW_HEIGHT = 48;
const INK = '#1f2933';
const MUTED = '#4b5563';
const TRACK_FILL = '#eef1f4';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** About how wide a text is: CJK and full-width characters one em, others a little over half. */
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const c of text) em += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 1 : 0.58;
  return em * size;
}

/** The text cut to fit a width, with an ellipsis where it was cut. */
function fit(text: string, size: number, width: number): string {
  if (textWidth(text, size) <= width) return text;
  const chars = [...text];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, size) > width) chars.pop();
  return `${chars.join('')}…`;
}

const n = (value: number) => String(Math.round(value * 10) / 10);

function legend(items: { name: string; fill: string }[], marker: { name: string; fill: string } | undefined): { svg: string; height: number } {
  const all = [...items.map((i) => ({ ...i, mark: false })), ...(marker ? [{ ...marker, mark: true }] : [])];
  if (!all.length) return { svg: '', height: 0 };
  const parts: string[] = [];
  let x = PAD;
  let y = PAD;
  for (const item of all) {
    const width = 18 + textWidth(item.name, LEGEND_SIZE);
    if (x > PAD && x + width > WIDTH - PAD) {
      x = PAD;
      y += 22;
    }
    parts.push(
      item.mark
        ? `<rect x="${n(x + 5)}" y="${n(y - 1)}" width="3" height="15" fill="${item.fill}"/>`
        : `<rect x="${n(x)}" y="${n(y)}" width="13" height="13" rx="2" fill="${item.fill}"/>`,
      `<text x="${n(x + 18)}" y="${n(y + 11.5)}" font-size="${LEGEND_SIZE}" fill="${MUTED}">${escapeXml(item.name)}</text>`,
    );
    x += width + 16;
  }
  return { svg: `<g class="legend">${parts.join('')}</g>`, height: y + 13 + 12 - PAD };
}

/** The chart as an `<svg>` element, its rows in the order given. */
export function barChart(spec: BarChartSpec): string {
  const titleId = `${spec.id}-title`;
  const open = (height: number) =>
    `<svg xmlns="http://www.w3.org/2000/svg" id="${spec.id}" class="chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${titleId}"><title id="${titleId}">${escapeXml(spec.title)}</title>`;
  if (!spec.rows.length) return `${open(40)}<text x="${PAD}" y="25" font-size="${LABEL_SIZE}" fill="${MUTED}">${escapeXml(spec.empty)}</text></svg>`;

  const key = legend(spec.legend ?? [], spec.target && spec.rows.some((r) => r.target != null) ? spec.target : undefined);
  const barWidth = WIDTH - 2 * PAD;
  const max = Math.max(1, spec.max ?? 0, ...spec.rows.map((r) => Math.max(r.segments.reduce((sum, s) => sum + s.value, 0), r.target ?? 0)));
  const scale = (value: number) => (Math.min(value, max) / max) * barWidth;
  const rows = spec.rows.map((row, i) => {
    const top = PAD + key.height + i * ROW_HEIGHT;
    const baseline = top + LABEL_SIZE;
    const barTop = top + LABEL_SIZE + 7;
    const noteWidth = textWidth(row.note, NOTE_SIZE);
    const label = fit(row.label, LABEL_SIZE, barWidth - noteWidth - 12);
    const parts = [
      `<title>${escapeXml(`${row.label}：${row.note}`)}</title>`,
      `<text x="${PAD}" y="${n(baseline)}" font-size="${LABEL_SIZE}" fill="${INK}">${escapeXml(label)}</text>`,
      `<text x="${WIDTH - PAD}" y="${n(baseline)}" font-size="${NOTE_SIZE}" fill="${MUTED}" text-anchor="end">${escapeXml(row.note)}</text>`,
      `<rect x="${PAD}" y="${n(barTop)}" width="${barWidth}" height="${BAR_HEIGHT}" rx="3" fill="${TRACK_FILL}"/>`,
    ];
    let x = PAD;
    for (const segment of row.segments) {
      const width = scale(segment.value);
      if (width <= 0) continue;
      parts.push(`<rect x="${n(x)}" y="${n(barTop)}" width="${n(Math.max(width, 2))}" height="${BAR_HEIGHT}" fill="${segment.fill}"><title>${escapeXml(`${segment.name}：${segment.value}`)}</title></rect>`);
      x += width;
    }
    if (row.target != null && spec.target) {
      const at = PAD + scale(row.target);
      parts.push(`<rect x="${n(Math.min(at - 1.5, WIDTH - PAD - 3))}" y="${n(barTop - 4)}" width="3" height="${BAR_HEIGHT + 8}" fill="${spec.target.fill}"/>`);
    }
    return `<g class="row">${parts.join('')}</g>`;
  });
  const height = PAD + key.height + spec.rows.length * ROW_HEIGHT;
  return `${open(height)}${key.svg}${rows.join('')}</svg>`;
}
