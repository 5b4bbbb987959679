// An empty module: what Node's own import() (the ESM loader) costs, the baseline of size.mjs.
