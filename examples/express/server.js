// Runs the shop with PAGOEFECTIVO_* from the environment (e.g. `npx pagoefectivo sandbox` values);
// PAGOEFECTIVO_DEDUP_URL=postgres://... (or redis://...) when several servers receive the notifications.
// @ts-check
import { PagoEfectivo } from 'pagoefectivo';

import { createApp, deduplicatorFromEnv } from './app.js';

const port = Number(process.env.PORT ?? 3000);
createApp({ pe: PagoEfectivo.fromEnv(), dedup: deduplicatorFromEnv() }).listen(port, '127.0.0.1', () => {
  console.log(`shop on http://127.0.0.1:${port}; notifications to /webhooks/pagoefectivo`);
});
