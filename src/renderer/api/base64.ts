// The contract carries file bytes as base64 both ways: a quarantined file's raw bytes come back
// so, and a file that is not on disk goes to ingest.import so from the desktop window.

/** Bytes to base64 in slices: String.fromCharCode on a whole 6 MB file overflows the call stack. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const slice = 0x8000;
  for (let i = 0; i < bytes.length; i += slice) {
    binary += String.fromCharCode(...bytes.subarray(i, i + slice));
  }
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
