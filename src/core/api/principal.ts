import { z } from 'zod';
import { ROLES } from './permissions';

/** Who is calling: a signed-in person, or nobody (only 'public' procedures then). */
export const principalSchema = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.enum(ROLES)),
});
export type Principal = z.infer<typeof principalSchema>;

export type Transport = 'ipc' | 'http' | 'cli';
