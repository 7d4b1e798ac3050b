/**
 * Saves bytes or text as a file the person downloads. A blob link works the same in Electron and
 * in the headless host, and the core never needs to know where the person keeps files.
 */
export function downloadFile(name: string, content: Uint8Array | string, mediaType: string): void {
  const blob = new Blob([typeof content === 'string' ? content : new Uint8Array(content)], {
    type: mediaType,
  });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
