import { z } from 'zod';
import { procedure } from '../contract';

/*
 * Watched import folders: a folder on this workstation (or a share it mounts) that a partner portal
 * downloads into. The core that holds the ledger scans each one on a timer and imports every new
 * file through the same pipeline as a dropped file, with origin "folder:<name>". Partner files are
 * only read, never moved or deleted.
 *
 * Adding, removing and scanning need import.write: a watched folder is a standing import, with the
 * same effect on the ledger as the person dropping its files, and choosing which partner (and CSV
 * mapping) its files come from is what partners.save and ingest.import already require import.write
 * for. Administrators (settings.manage) do not import, so they do not get to open an import channel.
 *
 * Unlike ingest.import, a path is accepted over the headless host too: that host listens on the
 * loopback address only, and a watched folder is by nature a folder on the computer the core runs on
 * (the browser there cannot open a folder picker, so the person types the path).
 */

export const FOLDER_STATUSES = [
  'waiting',
  'ok',
  'missing',
  'unreadable',
  'not-a-folder',
  'unreachable',
  'error',
] as const;

export const FOLDER_FILE_OUTCOMES = ['imported', 'already-imported', 'quarantined', 'failed'] as const;

const folderFileSchema = z.object({
  name: z.string(),
  size: z.number().int().nonnegative(),
  /** null while the file waits to stop changing (or for its turn). */
  outcome: z.enum(FOLDER_FILE_OUTCOMES).nullable(),
  message: z.string().nullable(),
  quarantineId: z.number().int().nullable(),
  handledMs: z.number().int().nullable(),
});

export const watchedFolderSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  path: z.string(),
  partnerId: z.number().int().nullable(),
  partnerName: z.string().nullable(),
  mappingId: z.number().int().nullable(),
  addedBy: z.string(),
  addedMs: z.number().int(),
  status: z.enum(FOLDER_STATUSES),
  /** What the status means and, when something is wrong, what to do. */
  message: z.string(),
  /** True while a scan of this folder is running. */
  scanning: z.boolean(),
  lastScanMs: z.number().int().nullable(),
  files: z.object({
    imported: z.number().int(),
    alreadyImported: z.number().int(),
    quarantined: z.number().int(),
    failed: z.number().int(),
    waiting: z.number().int(),
  }),
  /** The latest files seen, newest first. */
  recent: z.array(folderFileSchema),
});

export const folderScanResultSchema = z.object({
  folderId: z.number().int(),
  name: z.string(),
  status: z.enum(FOLDER_STATUSES),
  message: z.string(),
  imported: z.number().int(),
  alreadyImported: z.number().int(),
  quarantined: z.number().int(),
  failed: z.number().int(),
  waiting: z.number().int(),
});

export const foldersProcedures = {
  'folders.list': procedure({
    summary:
      'Watched import folders: path, partner, status (with what to do when it is missing or unreadable), last scan, and the files handled there.',
    permission: 'ledger.read',
    input: z.object({}).strict().optional(),
    output: z.object({
      folders: z.array(watchedFolderSchema),
      /** How often the core scans, so the page can say when the next scan comes. */
      intervalMs: z.number().int(),
    }),
  }),
  'folders.add': procedure({
    summary:
      'Watches a folder (an absolute path to an existing folder on this workstation or a share it mounts): new files there are imported, recorded in the ledger with who added the folder. ' +
      'An administrator only: a watched folder reads whatever the workstation can read, and imports it unattended (issue 18).',
    permission: 'settings.manage',
    input: z
      .object({
        path: z.string().trim().min(1).max(4096),
        /** A short label, shown in the list and recorded as the import origin; default the folder's own name. */
        name: z.string().trim().min(1).max(100).optional(),
        partnerId: z.number().int().positive().optional(),
        mappingId: z.number().int().positive().optional(),
      })
      .strict(),
    output: watchedFolderSchema,
  }),
  'folders.remove': procedure({
    summary:
      'Stops watching a folder (recorded in the ledger). Its files stay where they are; what was imported stays imported.',
    permission: 'import.write',
    input: z.object({ id: z.number().int().positive() }).strict(),
    output: z.object({ removed: z.boolean() }),
  }),
  'folders.scan': procedure({
    summary:
      'Scans one watched folder (or all) now, after any scan already running; files that failed to read are tried again. Progress as job.progress events.',
    permission: 'import.write',
    input: z.object({ id: z.number().int().positive().optional() }).strict().optional(),
    output: z.object({ jobId: z.string(), results: z.array(folderScanResultSchema) }),
  }),
};
