// Escaping for HTML and XML text and attributes. Everything a user typed passes through here before a page shows it.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe inside element text and inside single- or double-quoted attributes, in HTML and in XML (SVG). */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
