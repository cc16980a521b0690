//! `credentialStatus` entries of type `BitstringStatusListEntry` (W3C Bitstring Status List
//! v1.0) and `StatusList2021Entry` (its predecessor). The list is a credential of its own,
//! fetched by the caller from `statusListCredential`; its bit is believed only once the list's
//! own proof verifies (with the same code as any credential's), its validity period holds at
//! `now`, and its purpose is the entry's.

use std::io::Read;

use serde_json::{Map, Value};

use super::{Check, NeedKind, Needed, Needs, ProofOutcome, Signer, StatusOutcome, StatusReport, ValidityOutcome};

/// Largest decompressed list read. The specification's minimum is 16 KiB (131,072 entries);
/// this is a thousand times that, and stops a small "zip bomb" from filling memory.
pub const MAX_LIST_BYTES: usize = 16 * 1024 * 1024;

/// The two entry types and, for each, the list credential's and list's types.
const KINDS: [(&str, &str, &str); 2] = [
    ("BitstringStatusListEntry", "BitstringStatusListCredential", "BitstringStatusList"),
    ("StatusList2021Entry", "StatusList2021Credential", "StatusList2021"),
];

fn as_list(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

fn types(o: &Map<String, Value>) -> Vec<&str> {
    as_list(o.get("type")).into_iter().filter_map(Value::as_str).collect()
}

/// Every `credentialStatus` entry of `document`, checked.
pub(crate) fn check_entries(
    document: &Map<String, Value>,
    issuer: Option<&str>,
    check: &Check<'_>,
    needs: &mut Needs,
) -> Vec<StatusReport> {
    as_list(document.get("credentialStatus"))
        .into_iter()
        .map(|entry| check_entry(entry, issuer, check, needs))
        .collect()
}

fn check_entry(entry: &Value, issuer: Option<&str>, check: &Check<'_>, needs: &mut Needs) -> StatusReport {
    let mut report = StatusReport {
        entry_type: None,
        purpose: None,
        index: None,
        list: None,
        list_issuer: None,
        same_issuer: false,
        list_proofs: Vec::new(),
        outcome: StatusOutcome::NotSet,
    };
    let not_checkable = |reason: String| StatusOutcome::NotCheckable { reason };
    let Value::Object(e) = entry else {
        report.outcome = not_checkable("the status entry is not a JSON object".into());
        return report;
    };
    report.entry_type = types(e).first().map(|t| (*t).to_owned());
    report.purpose = e.get("statusPurpose").and_then(Value::as_str).map(str::to_owned);
    report.list = e.get("statusListCredential").and_then(Value::as_str).map(str::to_owned);
    report.index = match e.get("statusListIndex") {
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
        Some(Value::Number(n)) => n.as_u64(),
        _ => None,
    };
    let outcome = (|| {
        let entry_types = types(e);
        let Some(&(_, list_type, subject_type)) = KINDS.iter().find(|(t, _, _)| entry_types.contains(t)) else {
            return not_checkable(format!(
                "status type {} is not supported (BitstringStatusListEntry and StatusList2021Entry are)",
                report.entry_type.as_deref().unwrap_or("(none)")
            ));
        };
        let Some(purpose) = report.purpose.clone() else {
            return not_checkable("the entry has no statusPurpose".into());
        };
        let Some(index) = report.index else {
            return not_checkable("statusListIndex is not a non-negative integer".into());
        };
        if let Some(size) = e.get("statusSize")
            && size.as_u64() != Some(1)
            && size.as_str() != Some("1")
        {
            return not_checkable(format!("statusSize {size} is not supported (only 1 bit per entry)"));
        }
        let Some(url) = report.list.clone() else {
            return not_checkable("the entry has no statusListCredential".into());
        };
        let Some(bytes) = check.resources.get(&url) else {
            needs.push(Needed { kind: NeedKind::StatusList, url: url.clone() });
            return not_checkable(format!("status list {url} unavailable"));
        };
        let refused = |reason: String| StatusOutcome::Refused { reason };
        let list = match super::parse_document(&bytes) {
            Ok(list) => list,
            Err(e) => return refused(format!("the status list is {e}")),
        };
        // The list's own `id` is not compared with the URL: the specification does not ask it,
        // and lists are served from mirrors (the DCC's names testing.dcconsortium.org and is
        // read from GitHub). Its signature and validity period are what bind it.
        let list_issuer = super::suites::issuer_id(&list);
        report.same_issuer = list_issuer.is_some() && list_issuer.as_deref() == issuer;
        report.list_issuer = list_issuer.clone();
        report.list_proofs = super::suites::verify_proofs(&list, list_issuer.as_deref(), check, needs);
        let failed = report.list_proofs.iter().find(|p| {
            matches!(p.outcome, ProofOutcome::SignatureMismatch | ProofOutcome::Rejected { .. })
                || (p.outcome == ProofOutcome::Valid && p.signer != Signer::Issuer)
        });
        if let Some(p) = failed {
            return refused(format!("its {p}"));
        }
        if !report.list_proofs.iter().any(|p| p.outcome == ProofOutcome::Valid) {
            return match report.list_proofs.first() {
                Some(p) => not_checkable(format!("the list's {p}")),
                None => refused("the list has no proof".into()),
            };
        }
        match super::validity::period(&list, check.now).outcome {
            ValidityOutcome::Current => {}
            ValidityOutcome::Expired => return refused("the list credential has expired".into()),
            ValidityOutcome::NotYetValid => return refused("the list credential is not valid yet".into()),
            ValidityOutcome::Malformed { field } => return refused(format!("the list's {field} is not a date-time")),
        }
        if !types(&list).contains(&list_type) {
            return refused(format!("the list credential is not a {list_type}"));
        }
        let Some(Value::Object(subject)) = list.get("credentialSubject") else {
            return refused("the list credential has no credentialSubject object".into());
        };
        if !types(subject).contains(&subject_type) {
            return refused(format!("the list's subject is not a {subject_type}"));
        }
        let purposes: Vec<&str> = as_list(subject.get("statusPurpose")).into_iter().filter_map(Value::as_str).collect();
        if !purposes.contains(&purpose.as_str()) {
            return refused(format!("the list is for {}, the entry for {purpose}", purposes.join(", ")));
        }
        let Some(encoded) = subject.get("encodedList").and_then(Value::as_str) else {
            return refused("the list has no encodedList".into());
        };
        match read_bit(encoded, index) {
            Err(reason) => refused(reason),
            Ok(false) => StatusOutcome::NotSet,
            Ok(true) => match purpose.as_str() {
                "revocation" => StatusOutcome::Revoked,
                "suspension" => StatusOutcome::Suspended,
                _ => StatusOutcome::Set { purpose },
            },
        }
    })();
    report.outcome = outcome;
    report
}

/// The bits of an `encodedList`: multibase base64url (`u…`, or without the `u` as some issuers
/// write it and as StatusList2021 did), then GZIP, at most [`MAX_LIST_BYTES`] decompressed.
pub fn decode_list(encoded: &str) -> Result<Vec<u8>, String> {
    // A GZIP stream starts 1f 8b, "H4sI" in base64: a leading `u` is the multibase prefix.
    let body = encoded.strip_prefix('u').unwrap_or(encoded);
    let compressed = super::multibase::base64url_decode(body).ok_or("the encodedList is not base64url")?;
    let mut out = Vec::new();
    let read =
        flate2::read::GzDecoder::new(compressed.as_slice()).take(MAX_LIST_BYTES as u64 + 1).read_to_end(&mut out);
    match read {
        Err(e) => Err(format!("the encodedList is not GZIP data ({e})")),
        Ok(_) if out.len() > MAX_LIST_BYTES => {
            Err(format!("the list is larger than {MAX_LIST_BYTES} bytes decompressed"))
        }
        Ok(_) => Ok(out),
    }
}

/// Bit `index` of the list; index 0 is the most significant bit of the first byte.
pub fn read_bit(encoded: &str, index: u64) -> Result<bool, String> {
    let bits = decode_list(encoded)?;
    let byte = usize::try_from(index / 8).ok().and_then(|i| bits.get(i));
    match byte {
        Some(b) => Ok(b & (0x80 >> (index % 8)) != 0),
        None => Err(format!("index {index} is beyond the list ({} entries)", bits.len() * 8)),
    }
}

/// An `encodedList` (with the `u` prefix) of `bits`, for tests and test issuers.
pub fn encode_list(bits: &[u8]) -> String {
    use base64::Engine;
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = gz.write_all(bits);
    let compressed = gz.finish().unwrap_or_default();
    format!("u{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(compressed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_order_is_most_significant_first() {
        let mut bits = vec![0u8; 16 * 1024];
        bits[0] = 0b1000_0001;
        bits[1] = 0b0100_0000;
        let list = encode_list(&bits);
        assert!(read_bit(&list, 0).unwrap());
        assert!(!read_bit(&list, 1).unwrap());
        assert!(read_bit(&list, 7).unwrap());
        assert!(read_bit(&list, 9).unwrap());
        assert!(!read_bit(&list, 131_071).unwrap());
        assert!(read_bit(&list, 131_072).unwrap_err().contains("beyond"));
        assert!(read_bit(&list, u64::MAX).is_err());
        // Without the multibase prefix, as seen in the wild.
        assert!(read_bit(&list[1..], 0).unwrap());
    }

    #[test]
    fn bad_lists_are_errors() {
        assert!(decode_list("u!!!").is_err());
        assert!(decode_list("uAAAA").is_err());
        // 17 MiB of zeros compresses to about 17 KB: refused once decompressed past the cap.
        let bomb = encode_list(&vec![0u8; MAX_LIST_BYTES + 1024]);
        assert!(bomb.len() < 100_000);
        assert!(decode_list(&bomb).unwrap_err().contains("larger"));
    }
}
