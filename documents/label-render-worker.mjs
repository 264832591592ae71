// The label renderer's thread (documents/label-worker.ts): renders ZPL to PNG images, one label
// set at a time, with the WebAssembly renderer loaded once. Plain JavaScript so Node runs it as it
// is, from the sources and from the build alike.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const renderer = createRequire(import.meta.url)(workerData.module);
parentPort.on('message', async (job) => {
  try {
    const { api } = await renderer.ready;
    const pngs = await api.zplToBase64MultipleAsync(job.zpl, job.widthMm, job.heightMm, job.dpmm);
    parentPort.postMessage({ ok: true, pngs });
  } catch (e) {
    parentPort.postMessage({ ok: false, reason: String((e && e.message) || e) });
  }
});
