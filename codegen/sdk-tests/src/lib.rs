//! Tests of the generated SDKs live in `tests/`.
