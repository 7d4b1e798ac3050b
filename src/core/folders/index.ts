/** Watched folders: files a partner portal downloads are imported once they settle. */
export { foldersHandlers } from './handlers';
export { FolderWatcher, type FolderWatchOptions } from './watcher';
