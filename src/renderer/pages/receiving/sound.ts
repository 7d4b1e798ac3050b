/**
 * The scan station's exception tone (Web Audio API): two short low notes, so a technician looking
 * at the tote, not the screen, hears that the last package needs attention. One AudioContext for
 * the page, made on the first exception (after the person's first key press, as browsers require).
 */
let context: AudioContext | undefined;

export function soundException(): void {
  try {
    context ??= new AudioContext();
    const start = context.currentTime;
    for (const [offset, frequency] of [
      [0, 440],
      [0.22, 330],
    ] as const) {
      const tone = context.createOscillator();
      const gain = context.createGain();
      tone.type = 'square';
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.15, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, start + offset + 0.18);
      tone.connect(gain).connect(context.destination);
      tone.start(start + offset);
      tone.stop(start + offset + 0.2);
    }
    // Tests and people can see that it sounded (the tone itself cannot be asserted in a browser test).
    document.body.dataset.lastTone = String(Date.now());
  } catch {
    // No audio device: the verdict on screen still says it.
  }
}
