import { ApiError } from '../api/errors';
import type { Registrant, Settings, setupProcedures } from '../api/procedures/setup';
import type { Handlers } from '../api/router';
import { findUser, hasUsers, me, principalOf, type AuthService } from '../auth';
import { parseDeaNumber, parseGln } from '../identifiers';
import type { UserService } from '../users';
import { readRegistrant, readSettings } from '../registrant/registrant';

/**
 * Checks the identifiers a registrant record carries, and returns it in canonical form. The demo
 * mark is not a person's to set or clear: it is dropped here and kept by the caller as it was.
 */
export function checkRegistrant({ demo: _demo, ...registrant }: Registrant): Registrant {
  const dea = parseDeaNumber(registrant.deaNumber);
  if (!dea.ok) {
    throw new ApiError('rule-violation', `The DEA registration number is not valid: ${dea.error.message}.`, {
      rule: 'dea-number',
    });
  }
  for (const gln of registrant.glns) {
    const checked = parseGln(gln);
    if (!checked.ok)
      throw new ApiError('rule-violation', `GLN ${gln} is not valid: ${checked.error.message}.`, {
        rule: 'gln',
      });
  }
  return { ...registrant, deaNumber: dea.value.value, glns: [...new Set(registrant.glns)] };
}

export function setupHandlers(auth: AuthService, people: UserService): Handlers<typeof setupProcedures> {
  return {
    'setup.status': async () => {
      const ws = await auth.workspace();
      const registrant = readRegistrant(ws.db);
      return {
        complete: registrant !== null && hasUsers(ws.db),
        registrant: registrant ? { name: registrant.name, deaNumber: registrant.deaNumber } : null,
        demo: registrant?.demo === true,
      };
    },
    'setup.initialize': async (input, ctx) => {
      const ws = await auth.workspace();
      const attempt = { area: 'setup', procedure: 'setup.initialize', actor: 'anonymous' };
      if (readRegistrant(ws.db) !== null || hasUsers(ws.db)) {
        await ws.refuse(
          attempt,
          new ApiError(
            'conflict',
            'This installation is already set up; sign in as an administrator to change it.',
            { rule: 'setup-once' },
          ),
        );
      }
      const registrant = checkRegistrant(input.registrant);
      const created = await people.create(
        'system',
        { ...input.administrator, roles: ['administrator'] },
        (tx) => {
          tx.record('registrant.recorded', 'system', { registrant });
          tx.record('settings.changed', 'system', { settings: readSettings(tx.db) });
        },
      );
      const principal = await auth.signIn(input.administrator.username, input.administrator.password, ctx);
      if (principal.userId !== created.userId) throw new Error('setup signed in someone else');
      return { principal: principalOf(findUser(ws.db, created.userId)!), registrant };
    },
    'setup.registrant': async () => {
      const ws = await auth.workspace();
      const registrant = readRegistrant(ws.db);
      if (registrant === null)
        throw new ApiError('not-found', 'No registrant is recorded yet: run the first-run setup.');
      return registrant;
    },
    'setup.updateRegistrant': async (input, ctx) => {
      const ws = await auth.workspace();
      const demo = readRegistrant(ws.db)?.demo;
      const registrant = { ...checkRegistrant(input.registrant), ...(demo ? { demo } : {}) };
      await ws.guarded({ area: 'setup', procedure: 'setup.updateRegistrant', actor: me(ctx).userId }, (tx) =>
        tx.record('registrant.recorded', me(ctx).userId, { registrant }),
      );
      return registrant;
    },
    'setup.settings': async () => readSettings((await auth.workspace()).db),
    'setup.updateSettings': async (input, ctx) => {
      const ws = await auth.workspace();
      const current = readSettings(ws.db);
      const next: Settings = {
        ...current,
        ...input.settings,
        varianceThresholdPercent: {
          ...current.varianceThresholdPercent,
          ...input.settings.varianceThresholdPercent,
        },
      };
      await ws.write((tx) => tx.record('settings.changed', me(ctx).userId, { settings: next }));
      auth.useSettings(next);
      return next;
    },
  };
}
