// The one badge URL scheme Overdue serves (badge-routes.ts) and lists (GET /api/v1/badges, GET /api/v3/badges/):
//   /badge/{token}.{format}                  every check of the workspace
//   /badge/{token}/{check-slug}.{format}     one check
//   /badge/{token}/tag/{tag}.{format}        the checks with a tag
// format: svg (an image), json ({status, total, grace, down}) or shields (a shields.io endpoint document);
// ?states=2 shows a late check as up (2-state), the default shows late (3-state).

export const BADGE_FORMATS = ['svg', 'json', 'shields'] as const;
export type BadgeFormat = (typeof BADGE_FORMATS)[number];

export type BadgeTarget = { kind: 'workspace' } | { kind: 'check'; slug: string } | { kind: 'tag'; tag: string };

/** The URL of one badge; `token` is the workspace's badge token (store/publishing.ts). */
export function badgeUrl(publicUrl: string, token: string, target: BadgeTarget, format: BadgeFormat, states: 2 | 3 = 3): string {
  const base = `${publicUrl}/badge/${token}`;
  const path =
    target.kind === 'workspace'
      ? base
      : target.kind === 'check'
        ? `${base}/${encodeURIComponent(target.slug)}`
        : `${base}/tag/${encodeURIComponent(target.tag)}`;
  return `${path}.${format}${states === 2 ? '?states=2' : ''}`;
}

/** The 3-state URL of each format. */
export function badgeLinks(publicUrl: string, token: string, target: BadgeTarget): Record<BadgeFormat, string> {
  return {
    svg: badgeUrl(publicUrl, token, target, 'svg'),
    json: badgeUrl(publicUrl, token, target, 'json'),
    shields: badgeUrl(publicUrl, token, target, 'shields'),
  };
}
