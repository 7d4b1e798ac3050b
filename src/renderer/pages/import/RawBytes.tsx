import { base64ToBytes } from '../../api/base64';
import { useQuery } from '../../api/context';
import { downloadFile } from '../../lib/download';
import { Button } from '../../ui/Button';
import { ErrorNotice } from '../../ui/Notice';

const SHOWN_BYTES = 256 * 1024;

/** The bytes exactly as the partner sent them: as text when they are text, else as a hex dump. */
export function RawBytes({ id }: { id: number }) {
  const raw = useQuery('quarantine.raw', { id });
  if (raw.status === 'loading') return <p>Loading the raw bytes…</p>;
  if (raw.status === 'error') return <ErrorNotice error={raw.error} />;
  const bytes = base64ToBytes(raw.data.base64);
  const head = bytes.subarray(0, SHOWN_BYTES);
  const text = asText(head);
  return (
    <div className="raw-bytes">
      <div className="toolbar">
        <Button onClick={() => downloadFile(raw.data.name, bytes, 'application/octet-stream')}>
          Download the original file
        </Button>
        <span className="field-hint">
          {bytes.length.toLocaleString()} bytes
          {bytes.length > SHOWN_BYTES ? `; the first ${SHOWN_BYTES.toLocaleString()} are shown` : ''}
          {text === null ? ', shown in hexadecimal (not text)' : ''}
        </span>
      </div>
      <pre className="raw-view" data-testid="raw-bytes" tabIndex={0} aria-label="Raw bytes">
        {text ?? hexDump(head)}
      </pre>
    </div>
  );
}

function asText(bytes: Uint8Array): string | null {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // eslint-disable-next-line no-control-regex -- NUL and other C0 controls (except tab, CR, LF, GS) mean binary
    return /[\u0000-\u0008\u000e-\u001c\u001e\u001f]/.test(text) ? null : text;
  } catch {
    // A cut in the middle of a multi-byte character at the display limit is still text.
    return bytes.length === SHOWN_BYTES ? new TextDecoder().decode(bytes) : null;
  }
}

function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, offset + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}
