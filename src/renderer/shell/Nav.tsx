import { AREAS, type AreaId } from './areas';

export function Nav({ current }: { current: AreaId }) {
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
              {area.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
