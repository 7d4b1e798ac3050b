import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ApiError } from '../api/errors';
import { ROLES } from '../api/permissions';
import { partnerInputSchema } from '../api/procedures/partners';
import { registrantSchema } from '../api/procedures/setup';

/*
 * The demo month as scripts/generate-demo.ts writes it (resources/demo/): the registrant, its
 * people, partners, saved mappings and partner files. Read here, once, for both doors that load it:
 * the app's "Explore with demo data" and `custodia demo load`.
 */

export const demoPersonSchema = z
  .object({
    username: z.string(),
    displayName: z.string(),
    roles: z.array(z.enum(ROLES)).min(1),
    /** Printed on the screen and in the README: a demo ledger is for looking around, not records. */
    password: z.string(),
  })
  .strict();
export type DemoPerson = z.infer<typeof demoPersonSchema>;

const mappingsSchema = z.record(z.string(), z.object({ name: z.string(), mapping: z.unknown() }));

export interface DemoResources {
  readonly dir: string;
  readonly title: string;
  readonly registrant: z.infer<typeof registrantSchema>;
  readonly people: readonly DemoPerson[];
  readonly partners: readonly z.infer<typeof partnerInputSchema>[];
  /** Saved column mappings by partner name. */
  readonly mappings: Readonly<Record<string, { name: string; mapping: unknown }>>;
  /** The partner files in import order (by name: their dates), with the partner that needs a mapping. */
  readonly files: readonly { name: string; path: string; partner?: string }[];
}

/** Reads resources/demo (or the folder given); a missing or damaged file is named in words. */
export function readDemoResources(dir: string): DemoResources {
  const read = <T>(name: string, schema: z.ZodType<T>): T => {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new ApiError(
        'not-found',
        `The demo data is missing (${file}): it ships with Custodia in resources/demo; reinstall or run scripts/generate-demo.ts.`,
      );
    }
    const parsed = schema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new ApiError('internal', `The demo data file ${file} is damaged: regenerate it.`);
    return parsed.data;
  };
  const meta = read('registrant.json', z.object({ title: z.string(), registrant: registrantSchema }));
  const mappings = read('mappings.json', mappingsSchema);
  const filesDir = path.join(dir, 'files');
  const names = fs.existsSync(filesDir) ? fs.readdirSync(filesDir).sort() : [];
  return {
    dir,
    title: meta.title,
    registrant: { ...meta.registrant, demo: true },
    people: read('people.json', z.array(demoPersonSchema)),
    partners: read('partners.json', z.array(partnerInputSchema)),
    mappings,
    files: names.map((name) => {
      // A file whose name carries a partner's first word is read with that partner's saved mapping.
      const partner = Object.keys(mappings).find((p) =>
        name.toLowerCase().includes(p.split(' ')[0]!.toLowerCase()),
      );
      return { name, path: path.join(filesDir, name), ...(partner ? { partner } : {}) };
    }),
  };
}

/** Is there demo data to offer (the app shows "Explore with demo data" only then)? */
export function demoAvailable(dir: string | undefined): boolean {
  return dir !== undefined && fs.existsSync(path.join(dir, 'registrant.json'));
}
