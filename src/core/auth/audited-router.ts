import type { Result } from '../api/errors';
import { Router, type CallContext } from '../api/router';
import type { ProcedureSpec } from '../api/contract';

export type RefusalRecorder = (
  ctx: CallContext,
  method: string,
  error: { code: string; message: string },
) => Promise<void>;

/**
 * The router, plus a ledger entry for every call a signed-in person was refused by permission
 * ("forbidden"): refused before the handler runs, like every other refusal, but recorded, so a
 * technician trying to approve leaves a trace. Anonymous calls refused as "unauthenticated" are
 * not recorded (anyone on the machine could fill the ledger with them).
 */
export class AuditedRouter<C extends Record<string, ProcedureSpec>> extends Router<C> {
  constructor(
    contract: C,
    handlers: ConstructorParameters<typeof Router<C>>[1],
    log: ConstructorParameters<typeof Router<C>>[2],
    private readonly recordRefusal: RefusalRecorder,
  ) {
    super(contract, handlers, log);
  }

  protected override async invoke(
    ctx: CallContext,
    method: string,
    rawInput: unknown,
  ): Promise<Result<unknown>> {
    const result = await super.invoke(ctx, method, rawInput);
    if (
      !result.ok &&
      result.error.code === 'forbidden' &&
      ctx.principal !== null &&
      result.error.details?.permission !== undefined
    ) {
      await this.recordRefusal(ctx, method, result.error);
    }
    return result;
  }
}
