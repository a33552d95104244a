// The public status page as one server-rendered HTML document: no script, no external resource, every user string
// escaped (and a Content-Security-Policy that would stop a script even if one slipped through).
import { escapeMarkup as e } from './escape.js';
import { publicReason } from './public-reason.js';
import type { StatusPageView } from './status-page-data.js';
import type { DayBar } from './uptime-bars.js';
import { mapInTurns } from '../api/turns.js';
import { MINUTE_MS } from '../core/index.js';

export const STATUS_PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  // Not framed: a page that looks like yours must not lie under another site's buttons (clickjacking).
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache, max-age=0',
};

const STATUS_WORD: Record<string, string> = { up: 'Up', late: 'Late', down: 'Down', new: 'Waiting for first signal', paused: 'Paused' };

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const minute = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const percent = (share: number) => `${(Math.floor(share * 10_000) / 100).toFixed(2)}%`;

function barClass(bar: DayBar): string {
  if (bar.uptime == null) return 'none';
  if (bar.uptime >= 1) return 'full';
  if (bar.uptime >= 0.99) return 'most';
  if (bar.uptime >= 0.95) return 'some';
  return 'low';
}

function barTitle(bar: DayBar): string {
  if (bar.uptime == null) return `${day(bar.day)}: no data`;
  const down = bar.downMs > 0 ? `, down ${Math.round(bar.downMs / MINUTE_MS)} min` : '';
  return `${day(bar.day)}: ${percent(bar.uptime)} up${down}`;
}

function summary(view: StatusPageView): { css: string; text: string } {
  const down = view.checks.filter((c) => c.status === 'down').length;
  const late = view.checks.filter((c) => c.status === 'late').length;
  if (down > 0)
    return { css: 'down', text: `${down} of ${view.checks.length} ${view.checks.length === 1 ? 'check is' : 'checks are'} down` };
  if (late > 0) return { css: 'late', text: `${late} ${late === 1 ? 'check is' : 'checks are'} late` };
  return { css: 'up', text: 'All checks are operational' };
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
main{max-width:860px;margin:0 auto;padding:32px 16px}h1{margin:0 0 4px;font-size:28px}h2{font-size:18px;margin:32px 0 12px}
h3{margin:0;font-size:16px}.description{margin:0;color:#59636e}
.summary{margin-top:24px;padding:16px 20px;border-radius:8px;color:#fff;display:flex;justify-content:space-between;gap:12px;flex-wrap:wrap}
.summary.up{background:#1a7f37}.summary.late{background:#bc4c00}.summary.down{background:#cf222e}.summary small{opacity:.85}
.incidents{list-style:none;margin:0;padding:0}.incidents li{background:#fff;border:1px solid #d1d9e0;border-left:4px solid #cf222e;border-radius:6px;padding:12px 16px;margin-bottom:8px}
.none-open{color:#59636e}.check{background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:16px;margin-bottom:12px}
.check header{display:flex;justify-content:space-between;gap:12px;margin-bottom:10px}.status{font-weight:600}
.status.up{color:#1a7f37}.status.late{color:#bc4c00}.status.down{color:#cf222e}.status.new,.status.paused{color:#59636e}
.bars{display:flex;gap:2px;height:34px}.bar{flex:1;border-radius:2px;background:#d1d9e0}
.bar.full{background:#2da44e}.bar.most{background:#7fc97f}.bar.some{background:#d4a72c}.bar.low{background:#cf222e}
.check footer{display:flex;justify-content:space-between;color:#59636e;font-size:13px;margin-top:6px}
body>footer{text-align:center;color:#59636e;font-size:13px;padding:24px}`;

/** One check's article: its name, status and 90 daily bars. */
function renderCheck(c: StatusPageView['checks'][number]): string {
  return `<article class="check" data-status="${e(c.status)}">
<header><h3>${e(c.name)}</h3><span class="status ${e(c.status)}">${e(STATUS_WORD[c.status] ?? c.status)}</span></header>
<div class="bars" role="img" aria-label="${e(`Daily uptime of ${c.name} over ${c.bars.length} days`)}">${c.bars.map((b) => `<span class="bar ${barClass(b)}" title="${e(barTitle(b))}"></span>`).join('')}</div>
<footer><span>${c.bars.length} days ago</span><span>${c.uptime == null ? 'no data' : `${percent(c.uptime)} uptime`}</span><span>Today</span></footer>
</article>`;
}

/** The page as HTML, a few checks' bars per event-loop turn: a hundred checks are half a megabyte of markup. */
export async function renderStatusPageInTurns(view: StatusPageView): Promise<string> {
  return renderPage(view, await mapInTurns(view.checks, renderCheck, 10));
}

function renderPage(view: StatusPageView, articles: string[]): string {
  const state = summary(view);
  const incidents =
    view.incidents.length === 0
      ? '<p class="none-open">No open incidents.</p>'
      : `<ul class="incidents">${view.incidents.map((i) => `<li><strong>${e(i.checkName)}</strong> is down since <time datetime="${new Date(i.openedAt).toISOString()}">${minute(i.openedAt)}</time><br><span class="reason">${e(publicReason(i.reason))}</span></li>`).join('')}</ul>`;
  const checks = articles.join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(view.title)} status</title><style>${STYLE}</style></head>
<body><main>
<header><h1>${e(view.title)}</h1>${view.description ? `<p class="description">${e(view.description)}</p>` : ''}</header>
<section class="summary ${state.css}"><strong>${state.text}</strong><small>Updated ${minute(view.now)}</small></section>
<h2>Open incidents</h2>
${incidents}
<h2>Checks</h2>
${checks || '<p class="none-open">No checks are shown on this page yet.</p>'}
</main><footer>Monitored with Overdue</footer></body></html>
`;
}

export function renderNotFoundPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Status page not found</title><style>${STYLE}</style></head>
<body><main><h1>Status page not found</h1><p class="description">There is no public status page at this address.</p></main></body></html>
`;
}
