import { useEffect, useRef } from 'react';

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Locks the workstation after `minutes` without keyboard or pointer activity in this window.
 * The core also locks a session that makes no calls, but only the window can see a person who is
 * reading without clicking, or one who walked away while a page keeps listening for events.
 */
export function useIdleLock(enabled: boolean, minutes: number, onIdle: () => void): void {
  const idle = useRef(onIdle);
  useEffect(() => {
    idle.current = onIdle;
  }, [onIdle]);
  useEffect(() => {
    if (!enabled) return;
    let last = Date.now();
    let fired = false;
    const mark = () => {
      last = Date.now();
    };
    for (const name of ACTIVITY) window.addEventListener(name, mark, { passive: true });
    const timer = setInterval(() => {
      if (!fired && Date.now() - last >= minutes * 60_000) {
        fired = true;
        idle.current();
      }
    }, 1_000);
    return () => {
      for (const name of ACTIVITY) window.removeEventListener(name, mark);
      clearInterval(timer);
    };
  }, [enabled, minutes]);
}
