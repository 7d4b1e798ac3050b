import { z } from 'zod';
import { procedure } from '../contract';
import { ROLES } from '../permissions';
import { passwordSchema, usernameSchema } from './auth';

export const userSchema = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
  active: z.boolean(),
  /** Set while the account is locked after repeated wrong passwords. */
  lockedUntil: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});

const rolesSchema = z.array(z.enum(ROLES)).min(1).max(ROLES.length);

export const usersProcedures = {
  'users.list': procedure({
    summary: 'Everyone who can sign in here, with roles and whether the account is active or locked.',
    permission: 'users.read',
    input: z.object({}).strict().optional(),
    output: z.object({ users: z.array(userSchema) }),
  }),
  'users.create': procedure({
    summary: 'Add a person with roles and an initial password (they can change it after signing in).',
    permission: 'users.manage',
    input: z
      .object({
        username: usernameSchema,
        displayName: z.string().min(1).max(120),
        roles: rolesSchema,
        password: passwordSchema,
      })
      .strict(),
    output: userSchema,
  }),
  'users.update': procedure({
    summary:
      "Change a person's name, roles or whether they may sign in. The last active administrator stays.",
    permission: 'users.manage',
    input: z
      .object({
        userId: z.string().min(1),
        displayName: z.string().min(1).max(120).optional(),
        roles: rolesSchema.optional(),
        active: z.boolean().optional(),
      })
      .strict(),
    output: userSchema,
  }),
  'users.resetPassword': procedure({
    summary: 'Set a new password for someone who forgot theirs; also lifts a lockout.',
    permission: 'users.manage',
    input: z.object({ userId: z.string().min(1), newPassword: passwordSchema }).strict(),
    output: userSchema,
  }),
  'users.unlockAccount': procedure({
    summary: 'Lift a lockout after repeated wrong passwords before it expires.',
    permission: 'users.manage',
    input: z.object({ userId: z.string().min(1) }).strict(),
    output: userSchema,
  }),
};
