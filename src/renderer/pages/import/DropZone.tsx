import { useRef, useState, type DragEvent } from 'react';
import { Button } from '../../ui/Button';

/**
 * Where partner files arrive: dropped from the desktop, picked one by one, or a whole folder a
 * partner portal downloads into (every file in it). The page hands the files on (in the browser
 * they stream to the host, however large); the core never needs a path on the person's disk.
 */
export function DropZone({ onFiles, disabled }: { onFiles: (files: File[]) => void; disabled?: boolean }) {
  const [over, setOver] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);

  const drop = async (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setOver(false);
    if (disabled) return;
    const entries = [...event.dataTransfer.items]
      .map((item) => item.webkitGetAsEntry?.())
      .filter((e): e is FileSystemEntry => e != null);
    const files = entries.some((e) => e.isDirectory)
      ? (await Promise.all(entries.map(filesOf))).flat()
      : [...event.dataTransfer.files];
    if (files.length > 0) onFiles(files);
  };

  return (
    <div
      className={`dropzone ${over ? 'dropzone-over' : ''}`}
      data-testid="dropzone"
      onDragOver={(event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => void drop(event)}
    >
      <p className="dropzone-title">Drop partner files or a folder here</p>
      <p className="field-hint">
        EPCIS 1.2 or 2.0 (XML, JSON-LD), X12 856 ship notices, lot-level T3 and FSMA 204 spreadsheets (CSV).
        Each file is imported whole or not at all; a rejected file waits in quarantine with its reasons.
      </p>
      <div className="dropzone-actions">
        <Button variant="primary" disabled={disabled} onClick={() => picker.current?.click()}>
          Choose files…
        </Button>
        <Button disabled={disabled} onClick={() => folder.current?.click()}>
          Choose a folder…
        </Button>
      </div>
      <input
        ref={picker}
        type="file"
        multiple
        className="visually-hidden"
        aria-label="Files to import"
        tabIndex={-1}
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          event.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
      <input
        ref={folder}
        type="file"
        className="visually-hidden"
        aria-label="Folder to import"
        tabIndex={-1}
        {...{ webkitdirectory: '', directory: '' }}
        onChange={(event) => {
          // Hidden files (.DS_Store) and partial downloads are not partner data.
          const files = [...(event.target.files ?? [])].filter(
            (f) => !f.name.startsWith('.') && !/\.(crdownload|part|tmp)$/i.test(f.name),
          );
          event.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </div>
  );
}

async function filesOf(entry: FileSystemEntry): Promise<File[]> {
  if (entry.isFile) {
    if (entry.name.startsWith('.')) return [];
    return [
      await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)),
    ];
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const children: FileSystemEntry[] = [];
  // readEntries answers in batches until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) break;
    children.push(...batch);
  }
  return (await Promise.all(children.map(filesOf))).flat();
}
