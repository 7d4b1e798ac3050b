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
            >
              <span>{area.label}</span>
              {badges[area.id] ? (
                <span className="nav-badge" data-testid={`badge-${area.id}`}>
                  {badges[area.id]}
                  <span className="visually-hidden"> waiting</span>
                </span>
              ) : null}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
