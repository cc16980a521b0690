//! The two multibase encodings credentials use: base58btc (`z…`: proof values, `did:key`,
//! `publicKeyMultibase`) and base64url without padding (`u…`: status lists). In house because
//! each is a few lines and must be total on hostile input.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Base58 is quadratic to decode; nothing certfolio reads in it (a 64-byte signature, a
/// 34-byte key) is longer than about 90 characters. Longer input is refused, not decoded.
const MAX_BASE58_CHARS: usize = 256;

/// Base58 (Bitcoin alphabet) to bytes; `None` for a character outside the alphabet or input
/// longer than [`MAX_BASE58_CHARS`].
pub fn base58_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() > MAX_BASE58_CHARS {
        return None;
    }
    let zeros = text.bytes().take_while(|&b| b == b'1').count();
    // Little-endian base-256 digits of the number written in base 58.
    let mut digits: Vec<u8> = Vec::with_capacity(text.len());
    for b in text.bytes().skip(zeros) {
        let mut carry = ALPHABET.iter().position(|&a| a == b)? as u32;
        for d in digits.iter_mut() {
            carry += u32::from(*d) * 58;
            *d = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            digits.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let mut out = vec![0u8; zeros];
    out.extend(digits.iter().rev());
    Some(out)
}

/// Bytes to base58 (Bitcoin alphabet).
pub fn base58_encode(bytes: &[u8]) -> String {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    // Little-endian base-58 digits.
    let mut digits: Vec<u8> = Vec::with_capacity(bytes.len() * 138 / 100 + 1);
    for &b in &bytes[zeros..] {
        let mut carry = u32::from(b);
        for d in digits.iter_mut() {
            carry += u32::from(*d) << 8;
            *d = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let mut out = String::with_capacity(zeros + digits.len());
    out.extend(std::iter::repeat_n('1', zeros));
    out.extend(digits.iter().rev().map(|&d| char::from(ALPHABET[usize::from(d)])));
    out
}

/// A multibase base58btc value (`z…`) to bytes, or why not.
pub fn decode_base58btc(value: &str) -> Result<Vec<u8>, String> {
    let Some(rest) = value.strip_prefix('z') else {
        return Err("is not multibase base58btc (it does not start with `z`)".into());
    };
    base58_decode(rest).ok_or_else(|| "is not valid base58btc".to_owned())
}

/// `z` + base58btc of `bytes`.
pub fn encode_base58btc(bytes: &[u8]) -> String {
    format!("z{}", base58_encode(bytes))
}

/// Base64url, with or without padding (issuers in the wild pad).
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base58_round_trips_and_keeps_leading_zeros() {
        for bytes in [&b""[..], b"\0", b"\0\0\x01", b"hello world", &[0xff; 40]] {
            assert_eq!(base58_decode(&base58_encode(bytes)).as_deref(), Some(bytes));
        }
        // The Bitcoin wiki's example.
        assert_eq!(base58_encode(b"Hello World!"), "2NEpo7TZRRrLZSi2U");
        assert_eq!(base58_decode("2NEpo7TZRRrLZSi2U").as_deref(), Some(&b"Hello World!"[..]));
    }

    #[test]
    fn bad_base58_is_refused() {
        assert_eq!(base58_decode("0OIl"), None);
        assert_eq!(base58_decode(&"z".repeat(MAX_BASE58_CHARS + 1)), None);
        assert!(decode_base58btc("uABC").is_err());
        assert!(decode_base58btc("z0").is_err());
    }
}
