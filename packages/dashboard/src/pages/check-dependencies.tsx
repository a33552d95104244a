// On the check page: the checks this one depends on, and when its incident is folded into a parent's (it does not
// page while that parent is down), a line saying so. Names come from the API and are rendered as text (escaped).
import type { Check } from '../api/types';
import { Link } from '../router';

export function CheckDependencies({ check }: { check: Check }) {
  const parents = check.depends_on ?? [];
  const folded = check.folded_into;
  if (parents.length === 0 && !folded) return null;
  return (
    <div class="stack" data-testid="check-dependencies">
      {folded && (
        <div class="notice" role="status">
          Folded into <Link href={`/checks/${folded.check.id}`}>{folded.check.name}</Link>'s incident: it is down too, so this check does
          not page on its own. If {folded.check.name} recovers first and this check is still down, it pages then.
        </div>
      )}
      {parents.length > 0 && (
        <p class="small">
          <span class="muted">Depends on </span>
          {parents.map((p, i) => (
            <span key={p.id}>
              {i > 0 ? ', ' : ''}
              <Link href={`/checks/${p.id}`}>{p.name}</Link>
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
