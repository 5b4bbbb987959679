// Runs the shop with PAGOEFECTIVO_* from the environment (e.g. `npx pagoefectivo sandbox` values).
// @ts-check
import { PagoEfectivo } from 'pagoefectivo';

import { createApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);
createApp({ pe: PagoEfectivo.fromEnv() }).listen(port, '127.0.0.1', () => {
  console.log(`shop on http://127.0.0.1:${port}; notifications to /webhooks/pagoefectivo`);
});
