/**
 * What a worker hears at the scanner: a short high tone when a scan is understood,
 * a low double tone when it is not. Quiet where the machine has no audio.
 */
let ctx: AudioContext | null = null;

function tone(freq: number, start: number, ms: number): void {
  if (!ctx) return;
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.frequency.value = freq;
  osc.type = 'square';
  gain.gain.value = 0.05;
  osc.connect(gain).connect(ctx.destination);
  const t = ctx.currentTime + start;
  osc.start(t);
  osc.stop(t + ms / 1000);
}

export function beep(kind: 'ok' | 'error'): void {
  try {
    ctx ??= new AudioContext();
    if (kind === 'ok') tone(1760, 0, 90);
    else {
      tone(220, 0, 160);
      tone(220, 0.22, 160);
    }
  } catch {
    // No audio device: the visual feedback still shows.
  }
}
