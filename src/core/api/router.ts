import type { z } from 'zod';
import { ApiError, type ApiErrorValue, type Result } from './errors';
import type { EventSink } from './events';
import { rolesGrant } from './permissions';
import type { Principal, Transport } from './principal';
import type { ProcedureSpec } from './contract';

export interface CallContext {
  readonly transport: Transport;
  /** The signed-in person for this call; with a session slot, the router resolves it from the slot. */
  readonly principal: Principal | null;
  /** Progress and other events for this caller's UI. */
  readonly emit: EventSink;
  /** Set by the transport so sign-in and sign-out can bind a session to it. */
  readonly session?: SessionSlot;
}

/** A transport's place to keep who is signed in on it (a window, a host cookie, a CLI run). */
export interface SessionSlot {
  /** The signed-in person, counting this call as activity (keeps the inactivity lock away). */
  get(): Principal | null;
  /** The signed-in person without counting as activity: for public calls such as status polling. */
  peek(): Principal | null;
  set(principal: Principal | null): void;
}

export type Handler<S extends ProcedureSpec> = (
  input: z.output<S['input']>,
  ctx: CallContext,
) => Promise<z.input<S['output']>> | z.input<S['output']>;

export type Handlers<C extends Record<string, ProcedureSpec>> = { [K in keyof C]: Handler<C[K]> };

export interface RouterLog {
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * The one router behind every transport. It parses input with the procedure's schema, checks the
 * permission against the caller's roles, runs the handler, and checks the output too, so a bug
 * in a handler cannot leak a field the contract does not declare.
 */
export class Router<C extends Record<string, ProcedureSpec>> {
  constructor(
    readonly contract: C,
    private readonly handlers: Handlers<C>,
    private readonly log: RouterLog,
  ) {}

  methods(): string[] {
    return Object.keys(this.contract).sort();
  }

  /**
   * Runs one call. A transport with sessions passes its slot; the router reads the principal from
   * it here, so only calls that need a signed-in person count as activity: a window polling public
   * status must not keep an unattended workstation from locking itself.
   */
  async call(ctx: CallContext, method: string, rawInput: unknown): Promise<Result<unknown>> {
    return this.invoke(this.resolveCaller(ctx, method), method, rawInput);
  }

  private resolveCaller(ctx: CallContext, method: string): CallContext {
    if (ctx.session === undefined) return ctx;
    const isPublic = Object.hasOwn(this.contract, method) && this.contract[method]!.permission === 'public';
    return { ...ctx, principal: isPublic ? ctx.session.peek() : ctx.session.get() };
  }

  /** The call with its principal resolved; subclasses wrap this (see auth/audited-router.ts). */
  protected async invoke(ctx: CallContext, method: string, rawInput: unknown): Promise<Result<unknown>> {
    try {
      return { ok: true, value: await this.dispatch(ctx, method, rawInput) };
    } catch (error) {
      return { ok: false, error: this.toErrorValue(method, error) };
    }
  }

  private async dispatch(ctx: CallContext, method: string, rawInput: unknown): Promise<unknown> {
    if (!Object.hasOwn(this.contract, method)) {
      throw new ApiError('unknown-method', `There is no procedure named "${method}".`, {
        method,
      });
    }
    const spec = this.contract[method]!;
    if (spec.permission !== 'public') {
      if (ctx.principal === null) {
        throw new ApiError('unauthenticated', 'Sign in first: this needs a signed-in person.', {
          method,
          permission: spec.permission,
        });
      }
      if (!rolesGrant(ctx.principal.roles, spec.permission)) {
        throw new ApiError(
          'forbidden',
          `Your roles (${ctx.principal.roles.join(', ') || 'none'}) do not allow ${spec.permission}.`,
          { method, permission: spec.permission },
        );
      }
    }
    const parsed = spec.input.safeParse(rawInput ?? undefined);
    if (!parsed.success) {
      throw new ApiError('invalid-input', describeIssues(parsed.error), {
        method,
        issues: parsed.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.'),
          message: issue.message,
        })),
      });
    }
    const handler = this.handlers[method as keyof C] as Handler<ProcedureSpec>;
    const output = await handler(parsed.data, ctx);
    const checked = spec.output.safeParse(output);
    if (!checked.success) {
      this.log.error('procedure returned output outside its contract', {
        method,
        issues: checked.error.issues.map((issue) => issue.path.join('.')),
      });
      throw new ApiError('internal', 'Custodia produced an answer it could not vouch for.', {
        method,
      });
    }
    return checked.data;
  }

  private toErrorValue(method: string, error: unknown): ApiErrorValue {
    if (error instanceof ApiError) return error.toValue();
    // Unexpected errors are logged by name only: messages from drivers can carry data values.
    this.log.error('procedure failed unexpectedly', {
      method,
      error: error instanceof Error ? error.name : typeof error,
      stack: error instanceof Error ? error.stack?.split('\n').slice(1, 6).join('\n') : undefined,
    });
    return {
      code: 'internal',
      message: 'Something went wrong inside Custodia. Nothing was changed; the log has details.',
      details: { method },
    };
  }
}

function describeIssues(error: z.ZodError): string {
  const first = error.issues[0];
  if (first === undefined) return 'The input is not valid.';
  const where = first.path.length > 0 ? ` at ${first.path.map(String).join('.')}` : '';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `Invalid input${where}: ${first.message}${more}`;
}
