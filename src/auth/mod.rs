//! Passwords, session tokens and login throttling.
//!
//! Session tokens are 32 bytes from the operating system's CSPRNG, sent as base64url (43
//! characters); the database keeps only their SHA-256. Passwords are Argon2id PHC strings
//! (OWASP parameters, m=19456 KiB, t=2, p=1), hashed on blocking threads behind a semaphore so
//! that a login flood cannot take all memory or stall the async workers.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use tokio::sync::{OnceCell, Semaphore};

use crate::error::{AppError, AppResult};

pub mod client;
pub mod throttle;

pub use throttle::{LoginThrottle, Subject, WindowBudget};

/// A session token as the client holds it, and the hash the server stores.
pub struct NewToken {
    pub token: String,
    pub hash: [u8; 32],
}

pub fn new_token() -> AppResult<NewToken> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::internal(format!("no randomness: {e}")))?;
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    Ok(NewToken { token, hash })
}

pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A string shaped like one of our tokens; anything else is refused before any lookup.
pub fn looks_like_token(token: &str) -> bool {
    token.len() == 43 && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Argon2id hashing off the async threads, a bounded number at a time.
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// Verified against when the email is unknown, so that the answer takes as long as for
    /// a wrong password (no account enumeration by timing).
    dummy_hash: Arc<OnceCell<String>>,
}

impl Default for Passwords {
    fn default() -> Self {
        Passwords { permits: Arc::new(Semaphore::new(2)), dummy_hash: Arc::new(OnceCell::new()) }
    }
}

impl Passwords {
    pub async fn hash(&self, password: String) -> AppResult<String> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        tokio::task::spawn_blocking(move || password_auth::generate_hash(password)).await.map_err(AppError::internal)
    }

    /// `true` when `password` matches `hash`; when `hash` is `None` (no such account), the
    /// same work is done against a dummy hash and the answer is `false`.
    pub async fn verify(&self, password: String, hash: Option<String>) -> AppResult<bool> {
        let (hash, real) = match hash {
            Some(h) => (h, true),
            None => (self.dummy().await?, false),
        };
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        let ok = tokio::task::spawn_blocking(move || password_auth::verify_password(password, &hash).is_ok())
            .await
            .map_err(AppError::internal)?;
        Ok(ok && real)
    }

    async fn dummy(&self) -> AppResult<String> {
        self.dummy_hash
            .get_or_try_init(|| async {
                tokio::task::spawn_blocking(|| password_auth::generate_hash("certfolio dummy password"))
                    .await
                    .map_err(AppError::internal)
            })
            .await
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_base64url_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let t = new_token().unwrap();
            assert!(looks_like_token(&t.token), "{}", t.token);
            assert_eq!(URL_SAFE_NO_PAD.decode(&t.token).unwrap().len(), 32);
            assert_eq!(t.hash, hash_token(&t.token));
            assert!(seen.insert(t.token));
        }
    }

    #[tokio::test]
    async fn passwords_are_argon2id_with_owasp_parameters() {
        let p = Passwords::default();
        let hash = p.hash("correct horse battery staple".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(p.verify("correct horse battery staple".into(), Some(hash.clone())).await.unwrap());
        assert!(!p.verify("correct horse battery staple ".into(), Some(hash)).await.unwrap(), "no trimming");
        assert!(!p.verify("anything".into(), None).await.unwrap());
    }
}
