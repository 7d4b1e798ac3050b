import type { ApiClient } from './client';
import { desktopClient } from './desktop';
import { hostClient } from './host';

/** The renderer never knows more than this: the preload bridge in Electron, else the headless host. */
export function createClient(): ApiClient {
  return window.custodia ? desktopClient(window.custodia) : hostClient();
}
