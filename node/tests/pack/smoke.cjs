// Run by scripts/test-node.sh from a fresh project where the packed tarball was installed: CommonJS.
const assert = require('node:assert/strict');
const { Deduplicator, PagoEfectivo, ValidationError, constructEvent } = require('pagoefectivo');
const { Sandbox } = require('pagoefectivo/testing');

(async () => {
  const sandbox = await Sandbox.start();
  try {
    const pe = new PagoEfectivo(sandbox.clientOptions());
    const cip = await pe.cips.create({
      currency: 'PEN',
      amount: '12.34',
      transactionCode: 'PACK-CJS',
      userEmail: 'a@b.pe',
    });
    sandbox.pay(cip.cip);
    const [d] = await sandbox.waitForDeliveries(1);
    const event = constructEvent(d.body, d.signature, sandbox.credentials.secretKey);
    assert.equal(event.amount, '12.34');
    const dedup = Deduplicator.fromUrl('memory:');
    assert.equal(await dedup.begin(event), 'started');
    await dedup.complete(event);
    assert.equal(await dedup.begin(pe.webhooks.constructEvent(d.body, d.signature)), 'duplicate');
    await assert.rejects(
      pe.cips.create({ currency: 'PEN', amount: 1, transactionCode: 'X', userEmail: 'a@b.pe' }),
      ValidationError,
    );
    console.log('pack smoke (CommonJS): ok');
  } finally {
    await sandbox.stop();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
