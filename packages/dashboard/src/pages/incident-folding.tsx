// On the incidents page: an incident folded into a parent's (dependencies: it did not page), and the children folded
// into a parent's incident, each with whether it is still down.
import type { Incident } from '../api/types';
import { Link } from '../router';

export function IncidentFolding({ incident }: { incident: Incident }) {
  const children = incident.folded_children ?? [];
  return (
    <>
      {incident.folded_into && (
        <div class="small muted" data-testid="folded-note">
          {incident.unfolded_at
            ? "Was folded into a parent check's incident; paging on its own since the parent recovered."
            : "Folded into a parent check's incident: did not page."}
        </div>
      )}
      {children.length > 0 && (
        <div class="small" data-testid="folded-children">
          <span class="muted">Folded in: </span>
          {children.map((c, i) => (
            <span key={c.incident_id}>
              {i > 0 ? ', ' : ''}
              <Link href={`/checks/${c.check_id}`}>{c.check_name}</Link>
              <span class="muted"> ({c.still_down ? (c.paging_since ? 'still down, paging on its own' : 'still down') : 'recovered'})</span>
            </span>
          ))}
        </div>
      )}
    </>
  );
}
