import { AREAS, type AreaId } from './areas';
import { useWorkQueue } from './workQueue';

/** The areas, each with a badge counting its lines of the dashboard's work queue. */
export function Nav({ current }: { current: AreaId }) {
  const { badges } = useWorkQueue();
  return (
    <nav className="nav" aria-label="Workstation areas">
      <div className="brand">Custodia</div>
      <ul>
        {AREAS.map((area) => (
          <li key={area.id}>
            <a
              href={`#/${area.id}`}
              aria-current={area.id === current ? 'page' : undefined}
              aria-keyshortcuts={`Alt+${area.key}`}
              title={`${area.label} (Alt+${area.key})`}
              aria-describedby={badges[area.id] ? `badge-desc-${area.id}` : undefined}
            >
              <span>{area.label}</span>
              {badges[area.id] ? (
                <span className="nav-badge" data-testid={`badge-${area.id}`} aria-hidden="true">
                  {badges[area.id]}
                </span>
              ) : null}
            </a>
            {badges[area.id] ? (
              // The link keeps the area's name; the count is its description ("8 waiting").
              <span id={`badge-desc-${area.id}`} className="visually-hidden">
                {badges[area.id]} waiting
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </nav>
  );
}
