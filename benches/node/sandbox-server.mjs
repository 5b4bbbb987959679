// A sandbox in its own process for the creation benchmark; prints its base URL and credentials as one JSON line.
import { Sandbox } from 'pagoefectivo/testing';

const sandbox = await Sandbox.start({ maxAmount: '1000000.00' });
console.log(JSON.stringify({ baseUrl: sandbox.baseUrl, ...sandbox.credentials }));
process.stdin.resume();
process.stdin.on('end', async () => {
  await sandbox.stop();
  process.exit(0);
});
