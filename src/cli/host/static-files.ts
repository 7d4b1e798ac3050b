import fs from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * Resolves a URL path to a file inside the built renderer, or null. Paths that try to climb out
 * (.., encoded slashes) resolve outside the root and are refused; unknown routes get index.html
 * because the renderer routes on the client (unless fallback is off, as for downloads).
 */
export function resolveStatic(
  root: string,
  urlPath: string,
  options: { fallback: boolean } = { fallback: true },
): { file: string; type: string } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const candidate = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  if (candidate !== root && !candidate.startsWith(root + path.sep)) return null;
  const isFile = fs.existsSync(candidate) && fs.statSync(candidate).isFile();
  if (!isFile && !options.fallback) return null;
  const file = isFile ? candidate : path.join(root, 'index.html');
  if (!fs.existsSync(file)) return null;
  return { file, type: TYPES[path.extname(file)] ?? 'application/octet-stream' };
}
