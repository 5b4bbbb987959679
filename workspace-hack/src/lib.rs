//! Feature unification for the workspace's builds (see Cargo.toml); no code.
