/** Page-level tabs as links, so each tab has an address (#/inventory/counts) and Back works. */
export function Tabs<T extends string>({
  label,
  area,
  tabs,
  current,
}: {
  label: string;
  area: string;
  tabs: readonly { id: T; label: string }[];
  current: T;
}) {
  return (
    <nav className="tabs" aria-label={label}>
      {tabs.map((tab) => (
        <a key={tab.id} href={`#/${area}/${tab.id}`} aria-current={tab.id === current ? 'page' : undefined}>
          {tab.label}
        </a>
      ))}
    </nav>
  );
}
