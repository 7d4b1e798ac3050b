import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * The fonts shipped with the app (resources/fonts, with their license): a report never takes a
 * font from the machine, so it renders to the same bytes on every computer.
 */

export interface ReportFonts {
  readonly regular: Uint8Array;
  readonly bold: Uint8Array;
  readonly mono: Uint8Array;
}

const FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf', mono: 'DejaVuSansMono.ttf' } as const;

let cached: ReportFonts | null = null;
let fontsDirOverride: string | null = null;

/** Where a packaged app keeps resources/fonts (Electron's process.resourcesPath); set by the shell. */
export function setFontsDir(dir: string): void {
  fontsDirOverride = dir;
  cached = null;
}

function findFontsDir(): string {
  const candidates: string[] = [];
  if (fontsDirOverride !== null) candidates.push(fontsDirOverride);
  if (process.env.CUSTODIA_FONTS_DIR) candidates.push(process.env.CUSTODIA_FONTS_DIR);
  // The packaged app: electron-builder copies resources/fonts to <resources>/fonts (extraResources).
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath !== undefined) candidates.push(path.join(resourcesPath, 'fonts'));
  // From this module (src/core/reports/render, or out/main when bundled) up to the project root.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    candidates.push(path.join(dir, 'resources', 'fonts'));
    dir = path.dirname(dir);
  }
  candidates.push(path.join(process.cwd(), 'resources', 'fonts'));
  const found = candidates.find((c) => fs.existsSync(path.join(c, FILES.regular)));
  if (found === undefined)
    throw new Error('The report fonts (resources/fonts) are missing from this installation.');
  return found;
}

export function reportFonts(): ReportFonts {
  if (cached !== null) return cached;
  const dir = findFontsDir();
  cached = {
    regular: fs.readFileSync(path.join(dir, FILES.regular)),
    bold: fs.readFileSync(path.join(dir, FILES.bold)),
    mono: fs.readFileSync(path.join(dir, FILES.mono)),
  };
  return cached;
}
