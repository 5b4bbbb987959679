// An empty module: what Node's own require() costs, the baseline of size.mjs.
