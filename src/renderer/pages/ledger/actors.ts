import { useMemo } from 'react';
import { useQuery } from '../../api/context';

/** A ledger actor as people know it: the person's name, or what the system part was. */
export function useActorNames(): (actor: string) => string {
  const users = useQuery('users.list', {});
  return useMemo(() => {
    const names = new Map<string, string>();
    if (users.status === 'ok') for (const u of users.data.users) names.set(u.userId, u.displayName);
    return (actor: string) => {
      const person = names.get(actor);
      if (person !== undefined) return person;
      if (actor === 'system') return 'Custodia';
      if (actor === 'demo-loader') return 'Demo loader';
      if (actor.startsWith('cli:')) return `${names.get(actor.slice(4)) ?? actor.slice(4)} (command line)`;
      return actor;
    };
  }, [users]);
}
