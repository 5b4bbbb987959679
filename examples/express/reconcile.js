// Reconciles the shop's orders against PagoEfectivo: from two CSV files, or from the shop's own orders swept through the API.
// Usage: node reconcile.js orders.csv report.csv out/    (the report downloaded from PagoEfectivo)
// @ts-check
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { Orders, loadCsvPair, reconcile } from 'pagoefectivo';

/**
 * Writes the exceptions (CSV and JSON lines), the summary and the HTML report into `outDir`.
 * @param {import('pagoefectivo').Reconciliation} result
 * @param {string} outDir
 */
async function writeReports(result, outDir) {
  mkdirSync(outDir, { recursive: true });
  await Promise.all([
    result.writeExceptionsCsv(join(outDir, 'exceptions.csv')),
    result.writeExceptionsJsonLines(join(outDir, 'exceptions.jsonl')),
    result.writeSummaryJson(join(outDir, 'summary.json')),
    result.writeHtml(join(outDir, 'report.html')),
  ]);
}

/**
 * The shop's orders file (its own header names) against PagoEfectivo's report file.
 * @param {string} ordersCsv @param {string} reportCsv @param {string} outDir
 */
export async function reconcileFiles(ordersCsv, reportCsv, outDir) {
  const [orders, payments] = await loadCsvPair(ordersCsv, reportCsv, {
    orderColumns: { orderId: 'pedido', amount: 'total', status: 'estado' },
  });
  const result = await reconcile(orders, payments);
  await writeReports(result, outDir);
  return result;
}

/**
 * The shop's in-memory orders against what the public search endpoint says of their CIPs.
 * @param {{ pe: import('pagoefectivo').PagoEfectivo, orders: Iterable<import('./app.js').Order>, outDir: string }} args
 */
export async function reconcileShop({ pe, orders, outDir }) {
  const records = [...orders].map((o) => ({
    orderId: o.id,
    cip: o.cip,
    currency: /** @type {'PEN'} */ ('PEN'),
    amount: o.amount,
    status: o.status,
    paidAt: o.paidAt,
  }));
  const mine = await Orders.fromRecords(records);
  const theirs = await pe.reconciliation.searchPayments(mine);
  const result = await reconcile(mine, theirs);
  await writeReports(result, outDir);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [ordersCsv, reportCsv, outDir = 'reconciliation'] = process.argv.slice(2);
  if (!ordersCsv || !reportCsv) {
    console.error('usage: node reconcile.js orders.csv report.csv [out-dir]');
    process.exit(2);
  }
  const result = await reconcileFiles(ordersCsv, reportCsv, outDir);
  const { summary } = result;
  console.log(`${summary.orders} orders, ${summary.payments} PagoEfectivo rows: ${summary.exceptions} to follow up`);
  for (const [cls, count] of Object.entries(summary.counts)) console.log(`  ${cls}: ${count}`);
  console.log(`reports in ${outDir}/`);
}
