//! The validity period against a given time, and the subject's identity against a given email.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::{Dated, Identity, IdentityOutcome, SubjectReport, ValidityOutcome, ValidityReport};

/// An XML Schema dateTime as Unix seconds: RFC 3339 (fraction and offset allowed), or without
/// an offset, read as UTC (VCDM 1.1 allowed it).
pub fn parse_datetime(text: &str) -> Option<i64> {
    use time::format_description::well_known::Rfc3339;
    let text = text.trim();
    if text.len() > 64 {
        return None;
    }
    time::OffsetDateTime::parse(text, &Rfc3339)
        .or_else(|_| time::OffsetDateTime::parse(&format!("{text}Z"), &Rfc3339))
        .ok()
        .map(|t| t.unix_timestamp())
}

/// `validFrom`/`validUntil` (VCDM 2.0), else `issuanceDate`/`expirationDate` (1.1), at `now`.
pub(crate) fn period(document: &Map<String, Value>, now: i64) -> ValidityReport {
    let dated = |fields: [&str; 2]| {
        fields.iter().find_map(|f| {
            document.get(*f).map(|v| Dated {
                field: (*f).to_owned(),
                value: v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()),
            })
        })
    };
    let valid_from = dated(["validFrom", "issuanceDate"]);
    let valid_until = dated(["validUntil", "expirationDate"]);
    let outcome = (|| {
        let mut times = [None, None];
        for (slot, date) in times.iter_mut().zip([&valid_from, &valid_until]) {
            if let Some(d) = date {
                match parse_datetime(&d.value) {
                    Some(t) => *slot = Some(t),
                    None => return ValidityOutcome::Malformed { field: d.field.clone() },
                }
            }
        }
        match times {
            [Some(from), _] if now < from => ValidityOutcome::NotYetValid,
            [_, Some(until)] if now >= until => ValidityOutcome::Expired,
            _ => ValidityOutcome::Current,
        }
    })();
    ValidityReport { valid_from, valid_until, outcome }
}

fn as_list(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

/// An email identity of the subject, as the credential gives it.
enum EmailIdentity<'a> {
    Plain { by: &'static str, value: &'a str },
    Sha256 { hex: &'a str, salt: &'a str },
    Unsupported(String),
}

/// The subject's identities (`id`, and Open Badges 3.0 `identifier` entries) against `email`.
pub fn subject_identity(document: &Map<String, Value>, email: Option<&str>) -> SubjectReport {
    let mut identities = Vec::new();
    let mut emails = Vec::new();
    for subject in as_list(document.get("credentialSubject")) {
        let Value::Object(s) = subject else { continue };
        if let Some(id) = s.get("id").and_then(Value::as_str) {
            match id.strip_prefix("mailto:") {
                Some(address) => {
                    identities.push(Identity { kind: "id (mailto:)".into(), hashed: false });
                    emails.push(EmailIdentity::Plain { by: "id mailto:", value: address });
                }
                None => identities.push(Identity { kind: "id".into(), hashed: false }),
            }
        }
        for entry in as_list(s.get("identifier")) {
            let Value::Object(e) = entry else { continue };
            let kind = e.get("identityType").and_then(Value::as_str).unwrap_or("(no identityType)");
            let hashed = match e.get("hashed") {
                Some(Value::Bool(b)) => *b,
                Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
                _ => false,
            };
            identities.push(Identity { kind: kind.to_owned(), hashed });
            if kind != "emailAddress" {
                continue;
            }
            let Some(value) = e.get("identityHash").and_then(Value::as_str) else { continue };
            let salt = e.get("salt").and_then(Value::as_str).unwrap_or("");
            emails.push(if !hashed {
                EmailIdentity::Plain { by: "identifier emailAddress", value }
            } else if let Some(hex) = value.strip_prefix("sha256$") {
                EmailIdentity::Sha256 { hex, salt }
            } else {
                let algorithm = value.split('$').next().unwrap_or("");
                EmailIdentity::Unsupported(format!(
                    "an emailAddress hashed with `{algorithm}`, which certfolio does not compute"
                ))
            });
        }
    }
    let outcome = match email {
        None => IdentityOutcome::NotCompared,
        Some(email) => compare(email, &emails),
    };
    SubjectReport { identities, outcome }
}

fn compare(email: &str, emails: &[EmailIdentity<'_>]) -> IdentityOutcome {
    let email = email.trim();
    // The issuer hashed the address as it had it; try it as given and lower-cased.
    let variants = [email.to_owned(), email.to_lowercase()];
    let mut comparable = false;
    let mut unsupported = None;
    for identity in emails {
        match identity {
            EmailIdentity::Plain { by, value } => {
                comparable = true;
                if value.trim().eq_ignore_ascii_case(email) {
                    return IdentityOutcome::Matches { by: (*by).to_owned() };
                }
            }
            EmailIdentity::Sha256 { hex, salt } => {
                comparable = true;
                let matches = variants.iter().any(|v| {
                    let digest = Sha256::digest(format!("{v}{salt}").as_bytes());
                    let computed: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                    computed.eq_ignore_ascii_case(hex)
                });
                if matches {
                    let how = if salt.is_empty() { "sha256" } else { "sha256, salted" };
                    return IdentityOutcome::Matches { by: format!("identifier emailAddress ({how})") };
                }
            }
            EmailIdentity::Unsupported(reason) => unsupported = Some(reason.clone()),
        }
    }
    match (comparable, unsupported) {
        (true, _) => IdentityOutcome::DoesNotMatch,
        (false, Some(reason)) => IdentityOutcome::NotComparable { reason },
        (false, None) => IdentityOutcome::NoEmailIdentity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn periods_of_both_data_models() {
        let t = |s: &str| parse_datetime(s).unwrap();
        let v2 = doc(json!({"validFrom": "2010-01-01T00:00:00Z", "validUntil": "2010-01-02T00:00:00Z"}));
        assert_eq!(period(&v2, t("2009-12-31T23:59:59Z")).outcome, ValidityOutcome::NotYetValid);
        assert_eq!(period(&v2, t("2010-01-01T12:00:00Z")).outcome, ValidityOutcome::Current);
        assert_eq!(period(&v2, t("2010-01-02T00:00:00Z")).outcome, ValidityOutcome::Expired);
        let v1 = doc(json!({"issuanceDate": "2010-01-01T00:00:00.123+02:00", "expirationDate": "2030-01-01T00:00:00"}));
        let r = period(&v1, t("2020-01-01T00:00:00Z"));
        assert_eq!((r.outcome, r.valid_from.unwrap().field), (ValidityOutcome::Current, "issuanceDate".into()));
        let bad = doc(json!({"validUntil": 5}));
        assert_eq!(period(&bad, 0).outcome, ValidityOutcome::Malformed { field: "validUntil".into() });
        assert_eq!(period(&doc(json!({})), 0).outcome, ValidityOutcome::Current);
        assert_eq!(parse_datetime("99999-01-01T00:00:00Z"), None);
    }

    #[test]
    fn email_identities_plain_and_hashed() {
        let salt = "pepper";
        let hash: String = Sha256::digest(format!("learner@example.org{salt}").as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let d = doc(json!({"credentialSubject": {
            "id": "did:example:123",
            "identifier": [{"type": "IdentityObject", "identityType": "emailAddress", "hashed": true,
                            "identityHash": format!("sha256${hash}"), "salt": salt}]
        }}));
        let r = subject_identity(&d, Some("Learner@Example.org"));
        assert_eq!(r.outcome, IdentityOutcome::Matches { by: "identifier emailAddress (sha256, salted)".into() });
        assert_eq!(r.identities.len(), 2);
        assert_eq!(subject_identity(&d, Some("other@example.org")).outcome, IdentityOutcome::DoesNotMatch);
        assert_eq!(subject_identity(&d, None).outcome, IdentityOutcome::NotCompared);
        let plain = doc(
            json!({"credentialSubject": [{"identifier": {"identityType": "emailAddress", "hashed": false, "identityHash": "a@b.c"}}]}),
        );
        assert_eq!(
            subject_identity(&plain, Some("A@B.C")).outcome,
            IdentityOutcome::Matches { by: "identifier emailAddress".into() }
        );
        let did_only = doc(json!({"credentialSubject": {"id": "did:example:1"}}));
        assert_eq!(subject_identity(&did_only, Some("a@b.c")).outcome, IdentityOutcome::NoEmailIdentity);
        let md5 = doc(
            json!({"credentialSubject": {"identifier": {"identityType": "emailAddress", "hashed": true, "identityHash": "md5$abc"}}}),
        );
        assert!(matches!(subject_identity(&md5, Some("a@b.c")).outcome, IdentityOutcome::NotComparable { .. }));
        let mailto = doc(json!({"credentialSubject": {"id": "mailto:a@b.c"}}));
        assert_eq!(
            subject_identity(&mailto, Some("a@b.c")).outcome,
            IdentityOutcome::Matches { by: "id mailto:".into() }
        );
    }
}
