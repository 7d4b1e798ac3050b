import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { procedure } from '../../src/core/api/contract';
import { ApiError } from '../../src/core/api/errors';
import type { Principal } from '../../src/core/api/principal';
import { Router, type CallContext } from '../../src/core/api/router';

const contract = {
  'test.open': procedure({
    summary: 'public',
    permission: 'public',
    input: z.object({ n: z.number().int() }).strict(),
    output: z.object({ doubled: z.number() }),
  }),
  'test.approve': procedure({
    summary: 'needs inventory.approve',
    permission: 'inventory.approve',
    input: z.object({}).strict(),
    output: z.object({ approved: z.literal(true) }),
  }),
  'test.leaky': procedure({
    summary: 'returns more than its contract',
    permission: 'public',
    input: z.undefined(),
    output: z.object({ a: z.number() }).strict(),
  }),
  'test.crash': procedure({
    summary: 'throws',
    permission: 'public',
    input: z.undefined(),
    output: z.null(),
  }),
  'test.refuse': procedure({
    summary: 'refuses',
    permission: 'public',
    input: z.undefined(),
    output: z.null(),
  }),
};

const logged: Record<string, unknown>[] = [];
const router = new Router(
  contract,
  {
    'test.open': ({ n }) => ({ doubled: n * 2 }),
    'test.approve': () => ({ approved: true as const }),
    'test.leaky': () => ({ a: 1, secret: 'x' }) as never,
    'test.crash': () => {
      throw new Error('SQLITE: constraint failed for serial 123456789');
    },
    'test.refuse': () => {
      throw new ApiError('rule-violation', 'A balance can never go negative.', {
        rule: 'non-negative-balance',
      });
    },
  },
  { error: (message, fields) => logged.push({ message, ...fields }) },
);

const person = (roles: Principal['roles']): Principal => ({
  userId: 'u1',
  username: 'ana',
  displayName: 'Ana',
  roles,
});
const ctx = (principal: Principal | null): CallContext => ({ transport: 'cli', principal, emit: () => {} });

describe('the router', () => {
  it('parses input with the procedure schema and returns the handler result', async () => {
    expect(await router.call(ctx(null), 'test.open', { n: 21 })).toEqual({
      ok: true,
      value: { doubled: 42 },
    });
  });

  it('rejects invalid input with a typed error naming the field', async () => {
    const result = await router.call(ctx(null), 'test.open', { n: 1.5 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-input');
    expect(result.error.details).toMatchObject({ method: 'test.open', issues: [{ path: 'n' }] });
    const extra = await router.call(ctx(null), 'test.open', { n: 1, admin: true });
    expect(extra.ok ? null : extra.error.code).toBe('invalid-input');
  });

  it('refuses unknown methods, including inherited property names', async () => {
    for (const method of ['nope', 'toString', '__proto__', 'constructor']) {
      const result = await router.call(ctx(null), method, {});
      expect(result.ok ? null : result.error.code).toBe('unknown-method');
    }
  });

  it('enforces permissions in the core: nobody, the wrong role, the right role', async () => {
    const anonymous = await router.call(ctx(null), 'test.approve', {});
    expect(anonymous.ok ? null : anonymous.error.code).toBe('unauthenticated');
    const technician = await router.call(ctx(person(['technician'])), 'test.approve', {});
    expect(technician.ok ? null : technician.error.code).toBe('forbidden');
    const admin = await router.call(ctx(person(['administrator'])), 'test.approve', {});
    expect(admin.ok ? null : admin.error.code).toBe('forbidden');
    expect(await router.call(ctx(person(['pharmacist'])), 'test.approve', {})).toEqual({
      ok: true,
      value: { approved: true },
    });
  });

  it('checks the permission before parsing input, so refusals do not reveal the schema', async () => {
    const result = await router.call(ctx(person(['auditor'])), 'test.approve', { junk: 1 });
    expect(result.ok ? null : result.error.code).toBe('forbidden');
  });

  it('never lets a handler return fields outside its output contract', async () => {
    const result = await router.call(ctx(null), 'test.leaky', undefined);
    expect(result.ok ? null : result.error.code).toBe('internal');
    expect(JSON.stringify(result)).not.toContain('secret');
  });

  it('turns unexpected errors into a generic internal error without their message', async () => {
    logged.length = 0;
    const result = await router.call(ctx(null), 'test.crash', undefined);
    expect(result.ok ? null : result.error.code).toBe('internal');
    expect(JSON.stringify(result)).not.toContain('123456789');
    expect(JSON.stringify(logged)).not.toContain('123456789');
    expect(logged[0]).toMatchObject({ method: 'test.crash', error: 'Error' });
  });

  it('passes typed refusals through unchanged', async () => {
    expect(await router.call(ctx(null), 'test.refuse', undefined)).toEqual({
      ok: false,
      error: {
        code: 'rule-violation',
        message: 'A balance can never go negative.',
        details: { rule: 'non-negative-balance' },
      },
    });
  });

  it('reads the session without counting activity for public calls, and with it for the rest', async () => {
    const reads: string[] = [];
    const pharmacist = person(['pharmacist']);
    const session = {
      get: () => (reads.push('get'), pharmacist),
      peek: () => (reads.push('peek'), pharmacist),
      set: () => {},
    };
    const withSession: CallContext = { transport: 'http', principal: null, emit: () => {}, session };
    expect((await router.call(withSession, 'test.open', { n: 1 })).ok).toBe(true);
    expect(reads).toEqual(['peek']);
    expect(await router.call(withSession, 'test.approve', {})).toEqual({
      ok: true,
      value: { approved: true },
    });
    expect(reads).toEqual(['peek', 'get']);
  });
});
