// A status badge in its three forms: SVG (flat, two-part: label | message), a shields.io endpoint document, and
// a JSON summary ({status, total, grace, down}, the shape healthchecks.io clients read).
import { escapeMarkup } from './escape.js';
import { truncate } from '../core/index.js';

export interface BadgeLook {
  label: string;
  message: string;
  /** Hex colour of the message part, e.g. #4c1. */
  color: string;
  /** The colour's name in shields.io's palette. */
  namedColor: string;
}

const LOOK_OF_STATUS: Record<string, { color: string; namedColor: string }> = {
  up: { color: '#4c1', namedColor: 'brightgreen' },
  late: { color: '#fe7d37', namedColor: 'orange' },
  down: { color: '#e05d44', namedColor: 'red' },
  new: { color: '#9f9f9f', namedColor: 'lightgrey' },
  paused: { color: '#9f9f9f', namedColor: 'lightgrey' },
};

export function badgeLook(label: string, status: string): BadgeLook {
  return { label, message: status, ...(LOOK_OF_STATUS[status] ?? LOOK_OF_STATUS.new) };
}

/** A 2-state badge shows late as up: only down is news. */
export function statesOf(statuses: string[], states: 2 | 3): string[] {
  return states === 2 ? statuses.map((s) => (s === 'late' ? 'up' : s)) : statuses;
}

// Approximate advance widths of Verdana at 11 px, enough to size a badge without font files.
const NARROW = new Set([..."fijlrtI.,:;!|'()[]` "]);
const WIDE = new Set([...'mwMW@%&']);
function textWidth(text: string): number {
  let width = 0;
  for (const c of text) {
    if (NARROW.has(c)) width += 4;
    else if (WIDE.has(c)) width += 10.5;
    else if (c >= 'A' && c <= 'Z') width += 7.5;
    else if (c.charCodeAt(0) > 0x7f) width += 8;
    else width += 6.6;
  }
  return Math.ceil(width);
}

/** Long names are cut so a badge stays a badge. */
const clip = (text: string, max = 60): string => truncate(text, max);

export function badgeSvg(look: BadgeLook): string {
  const label = clip(look.label);
  const message = clip(look.message);
  const lw = textWidth(label) + 10;
  const mw = textWidth(message) + 10;
  const w = lw + mw;
  const title = escapeMarkup(`${label}: ${message}`);
  const text = (x: number, value: string) => {
    const v = escapeMarkup(value);
    return (
      `<text x="${x * 10}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)">${v}</text>` +
      `<text x="${x * 10}" y="140" transform="scale(.1)">${v}</text>`
    );
  };
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${title}">` +
    `<title>${title}</title>` +
    '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>' +
    `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${look.color}"/>` +
    `<rect width="${w}" height="20" fill="url(#s)"/></g>` +
    '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="110">' +
    `${text(lw / 2, label)}${text(lw + mw / 2, message)}</g></svg>`
  );
}

/** The document a shields.io endpoint badge reads: {schemaVersion, label, message, color}. */
export function badgeShields(look: BadgeLook) {
  return { schemaVersion: 1, label: look.label, message: look.message, color: look.namedColor };
}

/** The JSON summary: the badge's status, how many checks it covers, and how many of them are late and down. */
export function badgeSummary(status: string, rawStatuses: string[]) {
  return {
    status,
    total: rawStatuses.length,
    grace: rawStatuses.filter((s) => s === 'late').length,
    down: rawStatuses.filter((s) => s === 'down').length,
  };
}
