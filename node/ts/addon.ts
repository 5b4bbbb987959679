// Loads the native addon built by `napi build` (pagoefectivo.node at the package root).
import * as path from 'node:path';
import type * as Native from './native';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const native: typeof Native = require(path.join(__dirname, '..', '..', 'pagoefectivo.node'));
