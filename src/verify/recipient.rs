//! Who an Open Badges 2.0 assertion was issued to, against the learner's emails (the login
//! email and the profile's contact email). Open Badges 3.0 subjects are compared by
//! `proof::subject_identity`.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::domain::check::Recipient;

/// The assertion's `recipient` (an IdentityObject, or the bare email of 0.5) against `emails`.
/// A hashed identity is `sha256$<hex>` of the email followed by the salt; the issuer hashed
/// the address as it had it, so each email is tried as given and lower-cased.
pub(super) fn of_ob2(recipient: Option<&Value>, emails: &[String]) -> Recipient {
    let (kind, hashed, identity, salt) = match recipient {
        Some(Value::String(email)) => ("email", false, email.trim(), ""),
        Some(Value::Object(o)) => (
            o.get("type").and_then(Value::as_str).unwrap_or("email"),
            o.get("hashed").and_then(Value::as_bool).unwrap_or(false),
            o.get("identity").and_then(Value::as_str).unwrap_or("").trim(),
            o.get("salt").and_then(Value::as_str).unwrap_or(""),
        ),
        _ => return Recipient::NotStated,
    };
    if identity.is_empty() {
        return Recipient::NotStated;
    }
    if !kind.eq_ignore_ascii_case("email") {
        return Recipient::NoEmail;
    }
    if !hashed {
        return if emails.iter().any(|e| e.trim().eq_ignore_ascii_case(identity)) {
            Recipient::Matches { by: "email".into() }
        } else {
            Recipient::OtherRecipient
        };
    }
    let Some((algorithm, hex)) = identity.split_once('$') else {
        return Recipient::NotComparable { reason: "a hashed identity without its algorithm (`sha256$…`)".into() };
    };
    if !algorithm.eq_ignore_ascii_case("sha256") {
        return Recipient::NotComparable {
            reason: format!("an email hashed with `{algorithm}`, which certfolio does not compute"),
        };
    }
    let matches = emails.iter().flat_map(|e| [e.trim().to_owned(), e.trim().to_lowercase()]).any(|email| {
        let digest = Sha256::digest(format!("{email}{salt}").as_bytes());
        let computed: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        computed.eq_ignore_ascii_case(hex)
    });
    if matches {
        let how = if salt.is_empty() { "email (sha256)" } else { "email (sha256, salted)" };
        Recipient::Matches { by: how.into() }
    } else {
        Recipient::OtherRecipient
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hash(email: &str, salt: &str) -> String {
        let d = Sha256::digest(format!("{email}{salt}").as_bytes());
        format!("sha256${}", d.iter().map(|b| format!("{b:02x}")).collect::<String>())
    }

    #[test]
    fn plain_hashed_and_other_recipients() {
        let emails = vec!["camille@example.org".to_owned(), "c.lefevre@work.example".to_owned()];
        let plain = json!({"type": "email", "hashed": false, "identity": "Camille@Example.org"});
        assert_eq!(of_ob2(Some(&plain), &emails), Recipient::Matches { by: "email".into() });
        let salted = json!({"type": "email", "hashed": true, "salt": "deadsea", "identity": hash("c.lefevre@work.example", "deadsea")});
        assert_eq!(of_ob2(Some(&salted), &emails), Recipient::Matches { by: "email (sha256, salted)".into() });
        let other = json!({"type": "email", "hashed": true, "salt": "deadsea", "identity": hash("someone@else.example", "deadsea")});
        assert_eq!(of_ob2(Some(&other), &emails), Recipient::OtherRecipient);
        // The real fixture's hash (assertion_hosted.json) is of another address than these.
        let real = json!({"type": "email", "hashed": true, "salt": "deadsea",
            "identity": "sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942"});
        assert_eq!(of_ob2(Some(&real), &emails), Recipient::OtherRecipient);
        assert_eq!(of_ob2(Some(&json!("camille@example.org")), &emails), Recipient::Matches { by: "email".into() });
        assert_eq!(of_ob2(Some(&json!({"type": "url", "identity": "https://x.example"})), &emails), Recipient::NoEmail);
        let md5 = json!({"type": "email", "hashed": true, "identity": "md5$abc"});
        assert!(matches!(of_ob2(Some(&md5), &emails), Recipient::NotComparable { .. }));
        assert_eq!(of_ob2(None, &emails), Recipient::NotStated);
    }
}
