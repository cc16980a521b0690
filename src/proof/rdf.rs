//! JSON-LD → RDF → RDFC-1.0 canonical N-Quads: what `eddsa-rdfc-2022` and
//! `Ed25519Signature2020` sign.
//!
//! Expansion and to-RDF are the `json-ld` crate's, canonicalisation is `rdf-canon`'s. Contexts
//! come from the bundle or from the caller; nothing is fetched. Expansion runs in safe mode
//! (a term no context defines is an error, not silently dropped): a dropped term would be data
//! the signature does not cover, and a verifier that drops it would call tampered data valid.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::pin::pin;
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};

use json_ld::expansion::{Action, Policy};
use json_ld::syntax::{NumberBuf, Object, Value as LdValue};
use json_ld::{IriBuf, JsonLdProcessor, LoadError, Loader, RemoteDocument};
use serde_json::Value;

use super::{Resources, contexts};

/// A credential with more statements than this is not canonicalised: real ones have tens to a
/// few hundred; this bounds the work the canonicalisation does before its own limit applies.
const MAX_QUADS: usize = 20_000;
/// Blank nodes whose neighbourhoods look alike make RDFC-1.0 exponential (its "Hash N-Degree
/// Quads" step). rdf-canon counts those calls; past this many, the input is refused.
const HNDQ_CALL_LIMIT: usize = 4_000;
/// Context loads for one document. json-ld loads a context each time a `@context` names it
/// (no cache), so a CLR holding fifty credentials, each with its own `@context`, makes about
/// 150 loads; this bounds the work a document of many `@context`s can cause.
const MAX_CONTEXT_LOADS: usize = 2_000;
/// Loads answered by the caller (contexts not bundled): bounds a hostile chain of contexts,
/// each importing the next, handed in by the caller's loader.
const MAX_CALLER_LOADS: usize = 64;

/// Why a document has no canonical form here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CanonError {
    /// A context neither bundled nor supplied by the caller.
    ContextUnavailable(String),
    /// More work than the limits above allow.
    TooComplex(String),
    /// Not valid JSON-LD, or a term no context defines.
    JsonLd(String),
}

impl std::fmt::Display for CanonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CanonError::ContextUnavailable(url) => write!(f, "context {url} unavailable"),
            CanonError::TooComplex(why) => write!(f, "too complex to canonicalise ({why})"),
            CanonError::JsonLd(why) => write!(f, "not valid JSON-LD ({why})"),
        }
    }
}

/// Deeper JSON (documents and contexts) is refused as too complex. Real credentials nest about
/// ten levels (Open Badges' `complete.json`: 10); JSON itself is read up to 128.
const MAX_DEPTH: usize = 32;
/// json-ld's expansion is recursive async code whose frames are large: about 0.3 MiB of stack
/// per nesting level in a debug build, so 2 MiB (a test or Tokio worker thread) overflows at
/// about 16 levels. It runs on a thread of its own with this much stack (reserved, touched
/// only as used), which also keeps a panic inside the library from unwinding through callers.
const STACK_BYTES: usize = 64 * 1024 * 1024;

/// The RDFC-1.0 canonical N-Quads of a JSON-LD document.
pub fn canonical_nquads(document: &Value, resources: &dyn Resources) -> Result<String, CanonError> {
    if depth(document) > MAX_DEPTH {
        return Err(CanonError::TooComplex(format!("nested more than {MAX_DEPTH} levels deep")));
    }
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("certfolio-json-ld".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, || canonical_nquads_here(document, resources))
            .map_err(|e| CanonError::TooComplex(format!("no thread for the JSON-LD processor ({e})")))?
            .join()
            .unwrap_or_else(|_| Err(CanonError::JsonLd("the JSON-LD processor failed on this input".into())))
    })
}

/// Nesting depth of a JSON value (a scalar is 0). Input is serde_json's, at most 128 deep.
fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn canonical_nquads_here(document: &Value, resources: &dyn Resources) -> Result<String, CanonError> {
    let loader =
        ContextLoader { resources, loads: Cell::new(0), caller_loads: Cell::new(0), failure: RefCell::new(None) };
    let quads = to_rdf(document, &loader).map_err(|e| loader.failure.borrow().clone().unwrap_or(e))?;
    let dataset: oxrdf::Dataset = quads.into_iter().collect();
    let options = rdf_canon::CanonicalizationOptions { hndq_call_limit: Some(HNDQ_CALL_LIMIT) };
    rdf_canon::canonicalize_with::<sha2::Sha256>(&dataset, &options).map_err(|e| match e {
        rdf_canon::CanonicalizationError::HndqCallLimitExceeded(_) => CanonError::TooComplex(e.to_string()),
        other => CanonError::JsonLd(format!("canonicalisation failed: {other}")),
    })
}

fn to_rdf(document: &Value, loader: &ContextLoader<'_>) -> Result<Vec<oxrdf::Quad>, CanonError> {
    let input = RemoteDocument::new(None, None, to_ld(document));
    let options = json_ld::Options {
        expansion_policy: Policy { invalid: Action::Reject, vocab: Action::Keep, allow_undefined: false },
        ..json_ld::Options::default()
    };
    let generator = json_ld::rdf_types::generator::Blank::new();
    let future = input.to_rdf_full((), generator, loader, options, ());
    let mut to_rdf = run_ready(future)
        .ok_or_else(|| CanonError::JsonLd("the JSON-LD processor did not finish".into()))?
        .map_err(|e| {
            use json_ld::ExpandError;
            match e {
                json_ld::ToRdfError::Expand(ExpandError::Expansion(json_ld::expansion::Error::KeyExpansionFailed(
                    term,
                ))) => CanonError::JsonLd(format!(
                    "`{term}` is defined by none of the credential's contexts, so no signature can cover it"
                )),
                other => CanonError::JsonLd(
                    other.to_string().replace("Expansion failed: Expansion failed", "Expansion failed"),
                ),
            }
        })?;
    let mut quads = Vec::new();
    for quad in to_rdf.cloned_quads() {
        if quads.len() >= MAX_QUADS {
            return Err(CanonError::TooComplex(format!("more than {MAX_QUADS} RDF statements")));
        }
        quads.push(convert(quad)?);
    }
    Ok(quads)
}

/// Drives a future that never waits: the loader answers at once (it reads memory or calls the
/// caller's synchronous loader), so the first poll completes. No executor needed.
fn run_ready<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..16 {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return Some(out);
        }
    }
    None
}

type LdId = json_ld::rdf_types::Id<IriBuf, json_ld::BlankIdBuf>;
type LdQuad = json_ld::rdf_types::Quad<LdId, LdId, json_ld::rdf_types::Term<LdId, json_ld::rdf_types::Literal>, LdId>;

fn convert(quad: LdQuad) -> Result<oxrdf::Quad, CanonError> {
    let json_ld::rdf_types::Quad(s, p, o, g) = quad;
    let bad = |what: &str, e: &dyn std::fmt::Display| CanonError::JsonLd(format!("{what}: {e}"));
    let subject: oxrdf::Subject = match s {
        LdId::Iri(i) => oxrdf::NamedNode::new(i.as_str()).map_err(|e| bad("subject", &e))?.into(),
        LdId::Blank(b) => blank(&b)?.into(),
    };
    let predicate = match p {
        LdId::Iri(i) => oxrdf::NamedNode::new(i.as_str()).map_err(|e| bad("predicate", &e))?,
        // Generalized RDF is off in the options; a blank predicate cannot be written.
        LdId::Blank(_) => return Err(CanonError::JsonLd("a blank node used as a property".into())),
    };
    let object: oxrdf::Term = match o {
        json_ld::rdf_types::Term::Id(LdId::Iri(i)) => {
            oxrdf::NamedNode::new(i.as_str()).map_err(|e| bad("object", &e))?.into()
        }
        json_ld::rdf_types::Term::Id(LdId::Blank(b)) => blank(&b)?.into(),
        json_ld::rdf_types::Term::Literal(lit) => match lit.type_ {
            json_ld::rdf_types::LiteralType::Any(ty) => {
                let ty = oxrdf::NamedNode::new(ty.as_str()).map_err(|e| bad("datatype", &e))?;
                oxrdf::Literal::new_typed_literal(lit.value, ty).into()
            }
            json_ld::rdf_types::LiteralType::LangString(tag) => {
                // Written as given (no case folding), as jsonld.js does.
                oxrdf::Literal::new_language_tagged_literal_unchecked(lit.value, tag.as_str()).into()
            }
        },
    };
    let graph = match g {
        None => oxrdf::GraphName::DefaultGraph,
        Some(LdId::Iri(i)) => oxrdf::NamedNode::new(i.as_str()).map_err(|e| bad("graph", &e))?.into(),
        Some(LdId::Blank(b)) => blank(&b)?.into(),
    };
    Ok(oxrdf::Quad::new(subject, predicate, object, graph))
}

fn blank(b: &json_ld::BlankIdBuf) -> Result<oxrdf::BlankNode, CanonError> {
    oxrdf::BlankNode::new(b.suffix()).map_err(|e| CanonError::JsonLd(format!("blank node: {e}")))
}

/// serde_json's tree as json-ld's. Numbers keep JSON-LD's integer/double split as jsonld.js
/// makes it (a whole number below 10^21 is an integer, so `1.0` and `1e3` are integers).
fn to_ld(value: &Value) -> LdValue {
    match value {
        Value::Null => LdValue::Null,
        Value::Bool(b) => LdValue::Boolean(*b),
        Value::Number(n) => LdValue::Number(number(n)),
        Value::String(s) => LdValue::String(s.as_str().into()),
        Value::Array(items) => LdValue::Array(items.iter().map(to_ld).collect()),
        Value::Object(map) => {
            let mut object = Object::new();
            for (key, item) in map {
                object.push(key.as_str().into(), to_ld(item));
            }
            LdValue::Object(object)
        }
    }
}

fn number(n: &serde_json::Number) -> NumberBuf {
    let text = match (n.as_i64(), n.as_u64(), n.as_f64()) {
        (Some(i), _, _) => i.to_string(),
        (None, Some(u), _) => u.to_string(),
        (None, None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e21 => format!("{}", f as i128),
        // serde_json's own text (shortest round-trip digits): `@version: 1.1` must stay 1.1.
        _ => n.to_string(),
    };
    text.parse().unwrap_or_else(|_| NumberBuf::from(0u8))
}

/// Bundled contexts first, then the caller's. Records the first context that could not be
/// had, so that the error names it (json-ld's own error only says "loading failed").
struct ContextLoader<'a> {
    resources: &'a dyn Resources,
    loads: Cell<usize>,
    caller_loads: Cell<usize>,
    failure: RefCell<Option<CanonError>>,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Unavailable(String);

impl ContextLoader<'_> {
    fn fail(&self, iri: &json_ld::Iri, error: CanonError) -> LoadError {
        let message = error.to_string();
        self.failure.borrow_mut().get_or_insert(error);
        LoadError::new(iri.to_owned(), Unavailable(message))
    }
}

impl Loader for ContextLoader<'_> {
    async fn load(&self, iri: &json_ld::Iri) -> Result<RemoteDocument<IriBuf>, LoadError> {
        let url = iri.as_str();
        let loads = self.loads.get() + 1;
        self.loads.set(loads);
        if loads > MAX_CONTEXT_LOADS {
            return Err(self.fail(iri, CanonError::TooComplex(format!("more than {MAX_CONTEXT_LOADS} context loads"))));
        }
        let document = match bundled_parsed(url) {
            Some(doc) => doc.clone(),
            None => {
                let caller_loads = self.caller_loads.get() + 1;
                self.caller_loads.set(caller_loads);
                if caller_loads > MAX_CALLER_LOADS {
                    let why = format!("more than {MAX_CALLER_LOADS} loads of contexts that are not bundled");
                    return Err(self.fail(iri, CanonError::TooComplex(why)));
                }
                let Some(bytes) = self.resources.get(url) else {
                    return Err(self.fail(iri, CanonError::ContextUnavailable(url.to_owned())));
                };
                if bytes.len() > super::MAX_DOCUMENT_BYTES {
                    let why = format!("context {url} is larger than {} bytes", super::MAX_DOCUMENT_BYTES);
                    return Err(self.fail(iri, CanonError::TooComplex(why)));
                }
                match serde_json::from_slice::<Value>(&bytes) {
                    Ok(value) if depth(&value) > MAX_DEPTH => {
                        let why = format!("context {url} is nested more than {MAX_DEPTH} levels deep");
                        return Err(self.fail(iri, CanonError::TooComplex(why)));
                    }
                    Ok(value @ Value::Object(_)) => to_ld(&value),
                    Ok(_) => {
                        return Err(self.fail(iri, CanonError::JsonLd(format!("context {url} is not a JSON object"))));
                    }
                    Err(e) => {
                        let why = crate::domain::document::json_problem(&e);
                        return Err(self.fail(iri, CanonError::JsonLd(format!("context {url} is not JSON ({why})"))));
                    }
                }
            }
        };
        Ok(RemoteDocument::new(Some(iri.to_owned()), None, document))
    }
}

/// Bundled contexts parsed once per process (they are constants; only the parse is deferred).
fn bundled_parsed(url: &str) -> Option<&'static LdValue> {
    static PARSED: OnceLock<HashMap<&'static str, LdValue>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        contexts::BUNDLED
            .iter()
            .filter_map(|(u, text)| serde_json::from_str::<Value>(text).ok().map(|v| (*u, to_ld(&v))))
            .collect()
    });
    parsed.get(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_split_as_jsonld_js_does() {
        let doc = serde_json::json!({
            "@context": {"n": "https://e.example/n"},
            "@id": "https://e.example/s",
            "n": [1, 1.0, 1e3, 4.5, -0.0]
        });
        let nq = canonical_nquads(&doc, &super::super::NoResources).unwrap();
        let int = "<http://www.w3.org/2001/XMLSchema#integer>";
        let dbl = "<http://www.w3.org/2001/XMLSchema#double>";
        assert!(nq.contains(&format!("\"1\"^^{int}")), "{nq}");
        assert!(nq.contains(&format!("\"1000\"^^{int}")), "{nq}");
        assert!(nq.contains(&format!("\"4.5E0\"^^{dbl}")), "{nq}");
        assert!(nq.contains(&format!("\"0\"^^{int}")), "{nq}");
    }

    #[test]
    fn an_undefined_term_is_an_error_not_dropped() {
        let doc = serde_json::json!({
            "@context": {"name": "https://schema.org/name"},
            "@id": "https://e.example/s",
            "name": "x",
            "colour": "red"
        });
        let err = canonical_nquads(&doc, &super::super::NoResources).unwrap_err();
        assert!(matches!(&err, CanonError::JsonLd(m) if m.contains("`colour` is defined by none")), "{err}");
    }
}
