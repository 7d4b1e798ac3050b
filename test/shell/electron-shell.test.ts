import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/cli/host/security';

/**
 * Issue 18: the Electron shell, checked without its binary (none can be downloaded here). Over the
 * main-process source (TypeScript's own parser, not text search) and the build output that ships:
 * the window's web preferences, a strict CSP on every way the renderer is served, navigation and
 * new windows refused, every IPC handler checking its sender, and electron-builder's fuses.
 * Electron's security checklist: https://www.electronjs.org/docs/latest/tutorial/security
 */
const repo = path.resolve(__dirname, '../..');
const MAIN = path.join(repo, 'src', 'main');
const OUT = path.join(repo, 'out');

function sourceOf(file: string): ts.SourceFile {
  return ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

const mainFiles = fs
  .readdirSync(MAIN)
  .filter((n) => n.endsWith('.ts'))
  .map((n) => sourceOf(path.join(MAIN, n)));

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

function all<T extends ts.Node>(test: (node: ts.Node) => node is T): T[] {
  const found: T[] = [];
  for (const file of mainFiles) walk(file, (node) => test(node) && found.push(node));
  return found;
}

/** `x.y(...)` calls whose callee text ends with `name`. */
const callsTo = (name: string) =>
  all((n): n is ts.CallExpression => ts.isCallExpression(n) && n.expression.getText().endsWith(name));

function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties)
    if (ts.isPropertyAssignment(p) && p.name.getText().replace(/['"]/g, '') === name) return p.initializer;
  return undefined;
}

/** The CSP directives of a policy string, by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0] !== '')
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectStrict(policy: string, where: string): void {
  const d = directives(policy);
  expect(d.get('default-src'), where).toEqual(["'self'"]);
  expect(d.get('script-src'), where).toEqual(["'self'"]);
  expect(d.get('object-src'), where).toEqual(["'none'"]);
  expect(d.get('base-uri'), where).toEqual(["'none'"]);
  for (const [name, values] of d) {
    expect(values, `${where}: ${name}`).not.toContain("'unsafe-eval'");
    expect(values, `${where}: ${name}`).not.toContain("'unsafe-inline'");
    expect(values, `${where}: ${name}`).not.toContain('*');
    expect(
      values.filter((v) => /^(https?:|ws:|wss:)/.test(v)),
      `${where}: ${name} names a remote origin`,
    ).toEqual([]);
  }
}

describe('the Electron shell (issue 18)', () => {
  it('creates one kind of window: context-isolated, sandboxed, without Node, webviews or a remote page', () => {
    const windows = all(
      (n): n is ts.NewExpression => ts.isNewExpression(n) && n.expression.getText() === 'BrowserWindow',
    );
    expect(windows.length).toBeGreaterThan(0);
    for (const win of windows) {
      const options = win.arguments?.[0];
      expect(options && ts.isObjectLiteralExpression(options)).toBe(true);
      const prefs = property(options as ts.ObjectLiteralExpression, 'webPreferences');
      expect(prefs && ts.isObjectLiteralExpression(prefs)).toBe(true);
      const get = (name: string) => property(prefs as ts.ObjectLiteralExpression, name)?.getText();
      expect(get('contextIsolation')).toBe('true');
      expect(get('sandbox')).toBe('true');
      expect(get('nodeIntegration')).toBe('false');
      expect(get('nodeIntegrationInWorker')).toBe('false');
      expect(get('webviewTag')).toBe('false');
      // Never switched off: web security, and the isolation of subframes.
      expect(get('webSecurity')).not.toBe('false');
      expect(get('nodeIntegrationInSubFrames')).not.toBe('true');
      expect(get('allowRunningInsecureContent')).not.toBe('true');
      expect(get('experimentalFeatures')).not.toBe('true');
    }
  });

  it('refuses navigation elsewhere and every new window, for every web contents', () => {
    const source = mainFiles.map((f) => f.getFullText()).join('\n');
    // Per web contents created (app-wide), and on the window itself.
    expect(source).toMatch(/app\.on\(\s*'web-contents-created'/);
    const navigations = callsTo('.on').filter((c) => c.arguments[0]?.getText() === "'will-navigate'");
    expect(navigations.length).toBeGreaterThanOrEqual(1);
    for (const nav of navigations) expect(nav.arguments[1]!.getText()).toContain('preventDefault()');
    expect(callsTo('.on').some((c) => c.arguments[0]?.getText() === "'will-redirect'")).toBe(true);
    const openHandlers = callsTo('.setWindowOpenHandler');
    expect(openHandlers.length).toBeGreaterThanOrEqual(2);
    for (const handler of openHandlers) {
      const body = handler.arguments[0]!.getText();
      // Every path returns deny: no "allow" anywhere in a window-open handler.
      expect(body).toContain("action: 'deny'");
      expect(body).not.toContain("'allow'");
    }
    expect(callsTo('.on').some((c) => c.arguments[0]?.getText() === "'will-attach-webview'")).toBe(true);
    // Page content is granted no permission (camera, notifications …).
    const permissions = callsTo('.setPermissionRequestHandler');
    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.arguments[0]!.getText()).toMatch(/callback\(false\)\s*\)?$/);
    expect(callsTo('.setPermissionCheckHandler')[0]!.arguments[0]!.getText()).toMatch(/=>\s*false$/);
  });

  it('checks the sender of every IPC message it handles', () => {
    const handlers = [...callsTo('ipcMain.handle'), ...callsTo('ipcMain.on'), ...callsTo('ipcMain.once')];
    expect(handlers.length).toBeGreaterThan(0);
    for (const handler of handlers) {
      const body = handler.arguments[1]!.getText();
      expect(body, handler.getText().slice(0, 60)).toMatch(
        /event\.senderFrame\s*!==\s*win\.webContents\.mainFrame/,
      );
      expect(body).toMatch(/event\.sender\s*!==\s*win\.webContents/);
    }
    // The preload exposes one call, one event stream and a file's path: no ipcRenderer, no Node.
    const preload = fs.readFileSync(path.join(repo, 'src', 'preload', 'index.ts'), 'utf8');
    expect(preload).toMatch(/contextBridge\.exposeInMainWorld\('custodia'/);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
    expect(preload).not.toMatch(/require\(|process\.|from 'node:/);
  });

  it('serves the renderer under a strict CSP everywhere: the desktop session, the page itself, the host', () => {
    const window = fs.readFileSync(path.join(MAIN, 'window.ts'), 'utf8');
    const header = /'Content-Security-Policy':\s*\[\s*"([^"]+)"/.exec(window)?.[1];
    expect(header).toBeDefined();
    expectStrict(header!, 'the desktop session header');
    expect(directives(header!).get('frame-ancestors')).toEqual(["'none'"]);
    for (const html of [
      path.join(repo, 'src', 'renderer', 'index.html'),
      path.join(OUT, 'renderer', 'index.html'),
    ]) {
      expect(fs.existsSync(html), `${html} (npm run build makes out/)`).toBe(true);
      const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(
        fs.readFileSync(html, 'utf8'),
      )?.[1];
      expect(meta, html).toBeDefined();
      expectStrict(meta!, html);
      // No inline script in the page that ships.
      expect(fs.readFileSync(html, 'utf8')).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
    expectStrict(CONTENT_SECURITY_POLICY, 'the headless host');
  });

  it('ships the same settings in the build output', () => {
    const built = path.join(OUT, 'main', 'index.cjs');
    expect(fs.existsSync(built), 'npm run build makes out/main/index.cjs').toBe(true);
    const text = fs.readFileSync(built, 'utf8');
    for (const [name, value] of [
      ['contextIsolation', 'true'],
      ['sandbox', 'true'],
      ['nodeIntegration', 'false'],
      ['nodeIntegrationInWorker', 'false'],
      ['webviewTag', 'false'],
    ] as const)
      expect(text, name).toMatch(
        new RegExp(`\\b${name}:\\s*(${value}|${value === 'true' ? '!0' : '!1'})\\b`),
      );
    expect(text).not.toMatch(/\bnodeIntegration:\s*(true|!0)/);
    expect(text).toContain('setWindowOpenHandler');
    expect(text).toContain('will-navigate');
    expect(text).toContain('senderFrame');
    const preload = fs.readFileSync(path.join(OUT, 'preload', 'index.cjs'), 'utf8');
    expect(preload).toContain('exposeInMainWorld');
  });

  it('packages with the fuses that keep the binary from running as Node or loading another app', () => {
    // No YAML parser among the dependencies: the two keys read by hand (top-level `asar`, and the
    // `electronFuses` block's indented `name: value` lines).
    const yaml = fs.readFileSync(path.join(repo, 'electron-builder.yml'), 'utf8').split('\n');
    const start = yaml.indexOf('electronFuses:');
    expect(start).toBeGreaterThanOrEqual(0);
    const fuses: Record<string, boolean> = {};
    for (const line of yaml.slice(start + 1)) {
      const m = /^\s+(\w+):\s*(true|false)\s*(#.*)?$/.exec(line);
      if (m === null) break;
      fuses[m[1]!] = m[2] === 'true';
    }
    const config = { asar: yaml.includes('asar: true'), electronFuses: fuses };
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
