//! Known issuers' verification pages: the platforms and credential services whose certificate
//! pages certfolio fetches to check that they answer and name the learner and the course.
//!
//! A verification link on one of these hosts is checked ("issuer page checked on …"); a link on
//! any other host is "a link given by the learner", shown with its host and never fetched: the
//! service cannot tell an issuer's page from a page the learner made, and fetching every link a
//! learner types would let anyone make the server call any address they like.
//!
//! The table is the one place to add a platform (README, "Known issuers' pages").

/// A platform or credential service whose verification pages certfolio reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownIssuer {
    /// How pages name it: "Coursera".
    pub name: &'static str,
    /// Registrable domains: a link's host must be one of them or under one (`www.coursera.org`).
    pub domains: &'static [&'static str],
    /// When only part of a domain holds certificates (LinkedIn Learning, Google Developers), the
    /// path the link must start with.
    pub path: Option<&'static str>,
}

/// The known issuers, by name. Hosts were taken from the platforms' own certificate links.
pub const KNOWN_ISSUERS: &[KnownIssuer] = &[
    KnownIssuer { name: "Coursera", domains: &["coursera.org"], path: None },
    KnownIssuer { name: "edX", domains: &["edx.org"], path: None },
    KnownIssuer { name: "FUN-MOOC", domains: &["fun-mooc.fr"], path: None },
    KnownIssuer { name: "OpenClassrooms", domains: &["openclassrooms.com"], path: None },
    KnownIssuer { name: "FutureLearn", domains: &["futurelearn.com"], path: None },
    KnownIssuer { name: "Udemy", domains: &["udemy.com", "ude.my"], path: None },
    KnownIssuer { name: "LinkedIn Learning", domains: &["linkedin.com"], path: Some("/learning/") },
    KnownIssuer { name: "Udacity", domains: &["udacity.com"], path: None },
    KnownIssuer { name: "Credly", domains: &["credly.com"], path: None },
    KnownIssuer { name: "Accredible", domains: &["credential.net", "accredible.com"], path: None },
    KnownIssuer { name: "Microsoft Learn", domains: &["learn.microsoft.com"], path: None },
    KnownIssuer { name: "Google", domains: &["grow.google"], path: None },
    KnownIssuer { name: "Google Developers", domains: &["developers.google.com"], path: Some("/profile/") },
    KnownIssuer { name: "Google Cloud", domains: &["cloud.google.com"], path: Some("/certification/") },
    KnownIssuer { name: "Canvas Credentials (Badgr)", domains: &["badgr.com", "badgr.io"], path: None },
    KnownIssuer { name: "Open Badge Passport", domains: &["openbadgepassport.com"], path: None },
];

/// The known issuer an https link belongs to, with the link's host (lower case). Plain http
/// links are not checked: certfolio fetches over https only, and a known platform serves its
/// certificates over https.
pub fn known_issuer(url: &str) -> Option<(&'static KnownIssuer, String)> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    if parsed.scheme() != "https" {
        return None;
    }
    let host = parsed.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    let issuer = KNOWN_ISSUERS.iter().find(|k| {
        let on_domain = k.domains.iter().any(|d| host == *d || host.ends_with(&format!(".{d}")));
        let on_path = k.path.is_none_or(|p| parsed.path().starts_with(p));
        on_domain && on_path
    })?;
    Some((issuer, host))
}

/// The host of a link, lower case, as it is shown beside "link given by the learner".
pub fn host_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    parsed.host_str().map(|h| h.trim_end_matches('.').to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_known_issuers_and_others() {
        let name = |u: &str| known_issuer(u).map(|(k, h)| (k.name, h));
        assert_eq!(
            name("https://www.coursera.org/account/accomplishments/verify/KQ7"),
            Some(("Coursera", "www.coursera.org".into()))
        );
        assert_eq!(name("https://COURSERA.ORG./verify/1").map(|n| n.0), Some("Coursera"));
        assert_eq!(name("https://www.fun-mooc.fr/fr/verify/1").map(|n| n.0), Some("FUN-MOOC"));
        assert_eq!(name("https://www.linkedin.com/learning/certificates/abc").map(|n| n.0), Some("LinkedIn Learning"));
        assert_eq!(name("https://www.linkedin.com/in/someone"), None, "a profile is not a certificate page");
        assert_eq!(name("http://www.coursera.org/verify/1"), None, "https only");
        assert_eq!(name("https://notcoursera.org/verify/1"), None, "a look-alike domain is not the platform");
        assert_eq!(name("https://coursera.org.evil.example/verify/1"), None);
        assert_eq!(name("https://verify.example.org/1"), None);
        assert_eq!(name("not a url"), None);
        assert_eq!(host_of("https://Verify.Example.org/1").as_deref(), Some("verify.example.org"));
    }
}
