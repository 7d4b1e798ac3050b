import type { z } from 'zod';
import type { Permission } from './permissions';

/**
 * One procedure of the API (its name is its key in the contract): declared once, served by every transport (Electron IPC, the
 * headless host, the CLI). The schemas are the boundary: nothing reaches a handler unparsed.
 */
export interface ProcedureSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly summary: string;
  readonly input: I;
  readonly output: O;
  readonly permission: Permission;
}

export function procedure<I extends z.ZodType, O extends z.ZodType>(
  spec: ProcedureSpec<I, O>,
): ProcedureSpec<I, O> {
  return spec;
}

export type InputOf<P> = P extends ProcedureSpec<infer I, z.ZodType> ? z.input<I> : never;
export type OutputOf<P> = P extends ProcedureSpec<z.ZodType, infer O> ? z.output<O> : never;
