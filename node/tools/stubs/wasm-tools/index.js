// Stub (see package.json's description and node/package.json's "overrides").
throw new Error('@napi-rs/wasm-tools is stubbed out in this project: cross and wasm builds are not supported');
