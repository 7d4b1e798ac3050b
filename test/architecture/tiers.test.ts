// Every folder of src/core sits in exactly one tier of eslint.tiers.js, the map eslint.config.js builds its
// boundary rules from, and the lint really reads that map (not a copy of it).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

// eslint.tiers.js is plain JavaScript (eslint.config.js loads it without a build step) and tsc does not
// read JavaScript here, so its shape is stated for the type checker and the module loaded by URL.
type Tier = 'foundation' | 'storage' | 'records' | 'features' | 'app';
type TiersModule = {
  CORE_FOLDER_TIERS: Readonly<Record<Exclude<Tier, 'app'>, readonly string[]>>;
  TIER_ORDER: readonly Tier[];
  tierOfFolder(folder: string): Tier | undefined;
};
const { CORE_FOLDER_TIERS, TIER_ORDER, tierOfFolder }: TiersModule = await import(
  pathToFileURL(path.join(root, 'eslint.tiers.js')).href
);
const coreDir = path.join(root, 'src/core');

const coreFolders = fs
  .readdirSync(coreDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const assignments = Object.entries(CORE_FOLDER_TIERS).flatMap(([tier, folders]) =>
  folders.map((folder) => ({ tier, folder })),
);

describe('the tiers of src/core (eslint.tiers.js)', () => {
  it('are foundation < storage < records < features < app, app being the files directly in src/core', () => {
    expect(TIER_ORDER).toEqual(['foundation', 'storage', 'records', 'features', 'app']);
    expect(Object.keys(CORE_FOLDER_TIERS)).toEqual(TIER_ORDER.filter((tier) => tier !== 'app'));
  });

  it('assign every folder of src/core to a tier', () => {
    expect(coreFolders.length).toBeGreaterThan(10);
    const unassigned = coreFolders.filter((folder) => tierOfFolder(folder) === undefined);
    expect(unassigned, 'add each of these folders to its tier in eslint.tiers.js').toEqual([]);
  });

  it('assign no folder twice', () => {
    const seen = new Map<string, string[]>();
    for (const { tier, folder } of assignments) seen.set(folder, [...(seen.get(folder) ?? []), tier]);
    const twice = [...seen]
      .filter(([, tiers]) => tiers.length > 1)
      .map(([folder, tiers]) => `${folder}: ${tiers}`);
    expect(twice, 'a folder belongs to one tier').toEqual([]);
  });

  it('name no folder that does not exist', () => {
    const missing = assignments.filter(({ folder }) => !coreFolders.includes(folder));
    expect(missing, 'remove these from eslint.tiers.js, or create the folder').toEqual([]);
  });

  it('are the tiers the lint enforces', async () => {
    // From a file in each assigned folder, an import of the top-level app.ts is refused as upward and
    // the message names the folder's tier; from a top-level file it is allowed.
    const eslint = new ESLint({ cwd: root });
    const tierSeen = async (file: string, specifier: string) => {
      const code = `import type { Core } from '${specifier}';\nexport type Probe = Core;\n`;
      const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
      const finding = result?.messages.find((m) => m.ruleId === 'boundaries/dependencies');
      return finding
        ? (/this file is in the (\w+) tier/.exec(finding.message)?.[1] ?? finding.message)
        : 'app';
    };
    for (const { tier, folder } of assignments) {
      expect(await tierSeen(`src/core/${folder}/tier-probe.ts`, '../app'), folder).toBe(tier);
    }
    expect(await tierSeen('src/core/tier-probe.ts', './app')).toBe('app');
  });
});
