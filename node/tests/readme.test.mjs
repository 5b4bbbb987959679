// The Node quick start of README.md is node/README.md's, verbatim, and it runs against the sandbox.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { Sandbox } from 'pagoefectivo/testing';

const repo = join(import.meta.dirname, '..', '..');

function quickStart(markdown, heading) {
  const section = markdown.slice(markdown.indexOf(heading));
  const start = section.indexOf('```js\n') + '```js\n'.length;
  return section.slice(start, section.indexOf('```', start));
}

test('the README quick start is the package README one and runs', async () => {
  const code = quickStart(readFileSync(join(repo, 'README.md'), 'utf8'), '## Node');
  assert.match(code, /PagoEfectivo\.fromEnv\(\)/);
  assert.equal(quickStart(readFileSync(join(repo, 'node', 'README.md'), 'utf8'), '## Quick start (JavaScript)'), code);

  const sandbox = await Sandbox.start();
  // Inside the package, so that `import 'pagoefectivo'` resolves to this build.
  const file = join(import.meta.dirname, `.readme-quickstart-${process.pid}.mjs`);
  writeFileSync(file, code);
  try {
    const { credentials: c } = sandbox;
    const env = {
      PATH: process.env.PATH,
      PAGOEFECTIVO_ENVIRONMENT: sandbox.baseUrl,
      PAGOEFECTIVO_ACCESS_KEY: c.accessKey,
      PAGOEFECTIVO_SECRET_KEY: c.secretKey,
      PAGOEFECTIVO_SERVICE_ID: String(c.serviceId),
    };
    const { stdout } = await promisify(execFile)(process.execPath, [file], { env });
    assert.match(stdout, /for PEN 149\.90: pay at http:\/\/127\.0\.0\.1/);
    assert.match(stdout, /status: generated/);
  } finally {
    rmSync(file, { force: true });
    await sandbox.stop();
  }
});
