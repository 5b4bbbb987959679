// Stub (see package.json's description and node/package.json's "overrides").
throw new Error('@napi-rs/cross-toolchain is stubbed out in this project: cross and wasm builds are not supported');
