//! Password hashing: PBKDF2-HMAC-SHA256 stored as a self-describing PHC string.
//!
//! Format: `$pbkdf2-sha256$i=<iterations>,l=32$<salt>$<hash>`, salt and hash in
//! unpadded standard base64, as the PHC string format specifies. Keeping the
//! iteration count in the string lets the configured cost rise later: a hash
//! below it is replaced on the next successful login.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use pbkdf2::pbkdf2_hmac;
use rand::TryRng;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Iterations recommended for PBKDF2-HMAC-SHA256 by the OWASP Password Storage
/// Cheat Sheet (2023 revision).
pub const DEFAULT_ITERATIONS: u32 = 600_000;

/// The lowest count accepted outside debug mode: the original Reynard backend's 100,000.
pub const MIN_ITERATIONS: u32 = 100_000;

const ALGORITHM: &str = "pbkdf2-sha256";
const SALT_BYTES: usize = 32;
const HASH_BYTES: usize = 32;

/// Shortest and longest accepted password, in characters (NIST SP 800-63B).
pub const PASSWORD_LENGTH: (usize, usize) = (8, 1024);

/// Hashes `password` with a fresh 32-byte salt from the operating system's CSPRNG.
pub fn hash(password: &str, iterations: u32) -> String {
    let mut salt = [0u8; SALT_BYTES];
    rand::rngs::SysRng
        .try_fill_bytes(&mut salt)
        .expect("the operating system's random number generator is available");
    hash_with_salt(password, &salt, iterations)
}

fn hash_with_salt(password: &str, salt: &[u8], iterations: u32) -> String {
    let mut derived = [0u8; HASH_BYTES];
    pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, iterations, &mut derived);
    format!(
        "${ALGORITHM}$i={iterations},l={HASH_BYTES}${}${}",
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(derived)
    )
}

/// The parts of a stored PHC string.
struct Stored {
    iterations: u32,
    salt: Vec<u8>,
    hash: Vec<u8>,
}

fn parse(stored: &str) -> Option<Stored> {
    let mut parts = stored.split('$');
    let (Some(""), Some(ALGORITHM), Some(params), Some(salt), Some(hash), None) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let mut iterations = None;
    for param in params.split(',') {
        match param.split_once('=') {
            Some(("i", value)) => iterations = value.parse::<u32>().ok().filter(|i| *i > 0),
            Some(("l", value)) if value.parse::<usize>().ok()? > 0 => {}
            _ => return None,
        }
    }
    Some(Stored {
        iterations: iterations?,
        salt: STANDARD_NO_PAD.decode(salt).ok()?,
        hash: STANDARD_NO_PAD.decode(hash).ok()?,
    })
}

/// Checks `password` against `stored` in constant time. A string that is not
/// a PBKDF2-SHA256 PHC string never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    let Some(stored) = parse(stored) else {
        return false;
    };
    let mut derived = vec![0u8; stored.hash.len()];
    pbkdf2_hmac::<Sha256>(password.as_bytes(), &stored.salt, stored.iterations, &mut derived);
    derived.ct_eq(&stored.hash).into()
}

/// Whether `stored` used fewer iterations than `configured` and should be re-hashed.
pub fn needs_rehash(stored: &str, configured: u32) -> bool {
    parse(stored).is_none_or(|stored| stored.iterations < configured)
}

/// Checks a new password's length and that it differs from the username.
pub fn check_new(password: &str, username: &str) -> Result<(), String> {
    let length = password.chars().count();
    let (min, max) = PASSWORD_LENGTH;
    if length < min || length > max {
        return Err(format!("must be between {min} and {max} characters, got {length}"));
    }
    if password.eq_ignore_ascii_case(username) {
        return Err("must not be the same as the username".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verifies() {
        let stored = hash("correct horse", 1000);
        assert!(verify("correct horse", &stored));
        assert!(!verify("wrong horse", &stored));
    }

    #[test]
    fn phc_string_describes_itself() {
        let stored = hash("secret-password", 1234);
        assert!(stored.starts_with("$pbkdf2-sha256$i=1234,l=32$"), "{stored}");
    }

    #[test]
    fn salts_differ() {
        assert_ne!(hash("same password", 1000), hash("same password", 1000));
    }

    #[test]
    fn known_vector() {
        // The SHA-256 counterpart of RFC 6070's first PBKDF2 case (P "password",
        // S "salt", c 1, dkLen 32), as published in the usual SHA-256 vector lists.
        let stored = hash_with_salt("password", b"salt", 1);
        let derived = STANDARD_NO_PAD.decode(stored.rsplit('$').next().unwrap()).unwrap();
        let hex: String = derived.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
    }

    #[test]
    fn malformed_never_verifies() {
        for stored in ["", "plain", "$pbkdf2-sha256$i=0,l=32$AAAA$AAAA", "$argon2id$v=19$x$y$z"] {
            assert!(!verify("anything", stored), "{stored}");
        }
    }

    #[test]
    fn default_cost_round_trips() {
        let stored = hash("production passphrase", DEFAULT_ITERATIONS);
        assert!(stored.starts_with("$pbkdf2-sha256$i=600000,"), "{stored}");
        assert!(verify("production passphrase", &stored));
        assert!(!verify("production passphrasE", &stored));
    }

    #[test]
    fn rehash_below_configured() {
        let stored = hash("password123", 1000);
        assert!(needs_rehash(&stored, 2000));
        assert!(!needs_rehash(&stored, 1000));
    }

    #[test]
    fn new_password_rules() {
        assert!(check_new("short", "user").is_err());
        assert!(check_new(&"x".repeat(1025), "user").is_err());
        assert!(check_new("Username1", "username1").is_err());
        assert!(check_new("a fine passphrase", "user").is_ok());
    }
}
