// The ESM typings (dist/esm/*.d.mts) resolve to the same types.
import { PagoEfectivo, type Cip } from 'pagoefectivo';
import { Sandbox } from 'pagoefectivo/testing';

export async function esmUsage(): Promise<Cip> {
  const sandbox = await Sandbox.start();
  const pe = new PagoEfectivo(sandbox.clientOptions());
  return pe.cips.create({ currency: 'USD', amount: '10.00', transactionCode: 'A', userEmail: 'a@b.pe' });
}
