// Preloaded into the API by bench/api-memory.ts (`node --require`): samples process.memoryUsage()
// every MEMORY_PROBE_MS (50) and answers the parent over IPC, so a phase's peak of the V8 heap,
// `external` and `arrayBuffers` stands next to the kernel's RSS peak (VmHWM). Benchmark only.
/* global setInterval, global */
'use strict';
if (typeof process.send === 'function') {
  const KEYS = ['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'];
  const every = Number(process.env.MEMORY_PROBE_MS || 50);
  let peak = process.memoryUsage();
  const sample = () => {
    const now = process.memoryUsage();
    for (const k of KEYS) if (now[k] > peak[k]) peak[k] = now[k];
    return now;
  };
  setInterval(sample, every).unref();
  process.on('message', (message) => {
    if (!message || typeof message !== 'object' || message.probe === undefined) return;
    if (message.probe === 'gc' && typeof global.gc === 'function') global.gc();
    const now = sample();
    process.send({ probe: message.probe, id: message.id, now, peak: { ...peak } });
    if (message.probe === 'reset') peak = { ...now };
  });
  process.channel.unref();
}
