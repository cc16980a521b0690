//! Account rules: what an email address is, what a password must be.

use super::problem::{PasswordHint, Problem};

/// The longest email address, in characters (RFC 5321's path limit).
pub const MAX_EMAIL: usize = 254;

/// A login email address, normalised to lower case so that `Camille@Example.org` and
/// `camille@example.org` are one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// A deliberately plain check (one `@`, a dotted domain, no spaces): the only real test of
    /// an address is mail reaching it, and rejecting valid exotic addresses helps nobody.
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(Problem::Empty);
        }
        if value.chars().count() > MAX_EMAIL {
            return Err(Problem::EmailTooLong { max: MAX_EMAIL });
        }
        let shown = || value.to_owned();
        let Some((local, domain)) = value.split_once('@') else {
            return Err(Problem::EmailNoAt { value: shown() });
        };
        let bad_char = |c: char| c.is_whitespace() || c.is_control() || c == '@' || c == '<' || c == '>';
        if local.is_empty() || local.len() > 64 || local.chars().any(bad_char) {
            return Err(Problem::NotAnEmail { value: shown() });
        }
        let labels_ok = domain.split('.').all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
        if !domain.contains('.') || !labels_ok || domain.chars().any(bad_char) {
            return Err(Problem::EmailDomain { value: shown() });
        }
        Ok(Email(value.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordPolicyError {
    TooShort(usize),
    TooLong(usize),
    /// With what makes it guessable, when zxcvbn says.
    TooGuessable(Option<PasswordHint>),
}

impl From<PasswordPolicyError> for Problem {
    fn from(e: PasswordPolicyError) -> Self {
        match e {
            PasswordPolicyError::TooShort(len) => Problem::PasswordTooShort { len, min: PASSWORD_MIN },
            PasswordPolicyError::TooLong(len) => Problem::PasswordTooLong { len, max: PASSWORD_MAX },
            PasswordPolicyError::TooGuessable(hint) => Problem::PasswordGuessable { hint },
        }
    }
}

/// ASVS V6.2: 12 to 128 characters counted as Unicode scalar values, no composition rules,
/// and nothing found in common-password lists or built from the user's own name or email
/// (zxcvbn's dictionaries; a score below 3 means "guessable within about 10^8 tries").
/// The password is taken exactly as typed: no trimming, no case folding.
pub fn check_password_policy(password: &str, user_inputs: &[&str]) -> Result<(), PasswordPolicyError> {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        return Err(PasswordPolicyError::TooShort(len));
    }
    if len > PASSWORD_MAX {
        return Err(PasswordPolicyError::TooLong(len));
    }
    let estimate = zxcvbn::zxcvbn(password, user_inputs);
    if u8::from(estimate.score()) < 3 {
        let hint = estimate.feedback().and_then(|f| f.warning()).map(PasswordHint::from);
        return Err(PasswordPolicyError::TooGuessable(hint));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse(" Camille@Example.ORG ").unwrap().as_str(), "camille@example.org");
        for bad in ["", "camille", "camille@", "@example.org", "camille@example", "ca mille@example.org", "a@b@c.org"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn password_length_is_counted_in_characters() {
        assert_eq!(check_password_policy("short", &[]), Err(PasswordPolicyError::TooShort(5)));
        assert!(matches!(check_password_policy(&"é".repeat(129), &[]), Err(PasswordPolicyError::TooLong(129))));
        assert!(check_password_policy("correct horse battery staple", &[]).is_ok());
        assert!(check_password_policy("lune 🌙 verte, thé glacé", &[]).is_ok());
    }

    #[test]
    fn common_passwords_are_rejected() {
        for common in ["password1234", "123456789012", "qwertyuiopas", "aaaaaaaaaaaa"] {
            assert!(
                matches!(check_password_policy(common, &[]), Err(PasswordPolicyError::TooGuessable(_))),
                "{common}"
            );
        }
        assert!(check_password_policy("camillelefevre", &["camille", "lefevre"]).is_err());
    }
}
