//! Times the per-request cost of authentication: verifying an HS256 access
//! token, and verifying a PBKDF2-HMAC-SHA256 password hash at the default
//! cost of 600,000 iterations.
//!
//! Run with `cargo bench --bench auth`. Debug builds (as in
//! `cargo test --all-targets`) hash with 1,000 iterations, only to check that it runs.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use reynard::auth::password;
use reynard::auth::tokens::{TokenSigner, TokenType};

fn token_verify(c: &mut Criterion) {
    let signer = TokenSigner::new(
        b"a benchmark secret of thirty-two bytes or more",
        "reynard-bench",
        Duration::from_secs(15 * 60),
        Duration::from_secs(7 * 24 * 60 * 60),
    );
    let (token, _) = signer.issue("user-1", "bench", "user", TokenType::Access, "family-1");
    c.bench_function("jwt_verify/access", |b| {
        b.iter(|| black_box(signer.verify(black_box(&token), TokenType::Access).expect("token is valid")))
    });
}

fn password_verify(c: &mut Criterion) {
    let iterations = if cfg!(debug_assertions) { 1_000 } else { password::DEFAULT_ITERATIONS };
    let stored = password::hash("correct horse battery staple", iterations);
    let mut group = c.benchmark_group("pbkdf2_verify");
    group.sample_size(10);
    group.bench_with_input(BenchmarkId::from_parameter(iterations), &iterations, |b, _| {
        b.iter(|| {
            let matches = password::verify(black_box("correct horse battery staple"), black_box(&stored));
            assert!(matches, "the password matches its own hash");
        })
    });
    group.finish();
}

criterion_group!(benches, token_verify, password_verify);
criterion_main!(benches);
