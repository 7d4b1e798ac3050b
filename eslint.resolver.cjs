// @ts-check
// Resolves the relative imports of this project for eslint-plugin-boundaries (import/resolver
// interface version 2), so the boundary rules see which folder an import reaches.
//
// Existing files resolve as TypeScript does with extensionless specifiers ('./x' → x.ts, x.tsx,
// x/index.ts). A specifier naming no file yet still resolves, to the file it would be
// ('../auth' → auth/index.ts when auth is a folder, '../auth/service' → auth/service.ts), so a
// forbidden import is refused by its path even before (or after) the file behind it exists;
// tsc reports the missing file itself. Package and node: imports are left unresolved: the
// plugin counts them as external, and no-restricted-imports polices them by name.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'];

/** @param {string} file */
function isFile(file) {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** @param {string} dir */
function isDirectory(dir) {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/**
 * @param {string} source the specifier as written
 * @param {string} file the importing file (absolute)
 * @returns {{ found: boolean, path?: string | null }}
 */
function resolve(source, file) {
  if (!source.startsWith('./') && !source.startsWith('../') && source !== '.' && source !== '..') {
    return { found: false };
  }
  const target = path.resolve(path.dirname(file), source);
  if (isFile(target)) return { found: true, path: target };
  for (const extension of EXTENSIONS) {
    if (isFile(target + extension)) return { found: true, path: target + extension };
  }
  for (const extension of EXTENSIONS) {
    const index = path.join(target, 'index' + extension);
    if (isFile(index)) return { found: true, path: index };
  }
  // Nothing there: name the file the import would reach.
  if (path.extname(target) !== '') return { found: true, path: target };
  if (isDirectory(target)) return { found: true, path: path.join(target, 'index.ts') };
  return { found: true, path: target + '.ts' };
}

module.exports = { interfaceVersion: 2, resolve };
