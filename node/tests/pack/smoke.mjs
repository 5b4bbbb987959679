// Run by scripts/test-node.sh from a fresh project where the packed tarball was installed: ESM.
import assert from 'node:assert/strict';
import { PagoEfectivo, PagoEfectivoError, time } from 'pagoefectivo';
import { Sandbox } from 'pagoefectivo/testing';

const sandbox = await Sandbox.start();
try {
  const pe = new PagoEfectivo(sandbox.clientOptions());
  const cip = await pe.cips.create({
    currency: 'USD',
    amount: '99.99',
    transactionCode: 'PACK-ESM',
    userEmail: 'a@b.pe',
  });
  assert.equal((await pe.cips.get(cip.cip)).status, 'generated');
  assert.ok(time.toDate(cip.dateExpiry) instanceof Date);
  await assert.rejects(pe.cips.get(424242), PagoEfectivoError);
  console.log('pack smoke (ESM): ok');
} finally {
  await sandbox.stop();
}
