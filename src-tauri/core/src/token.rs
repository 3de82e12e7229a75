//! The Clickatell API token, a secret that must never be printed, logged or sent to the UI.

use thiserror::Error;

/// Longest token accepted; real tokens are far shorter, this only stops absurd input.
pub const MAX_TOKEN_BYTES: usize = 4096;

/// An API token whose `Debug` and `Display` redact it, so no log line, error or panic can leak
/// it. The only way to the raw value is [`ApiToken::expose`], used when building a request or
/// storing it in the keyring.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiToken(String);

/// Why a pasted token was refused before it reached the keyring or the network.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the token is empty")]
    Empty,
    #[error("the token is longer than {MAX_TOKEN_BYTES} bytes")]
    TooLong,
    #[error("the token contains a space, tab or line break inside it")]
    InnerWhitespace,
    #[error("the token contains a control character")]
    ControlCharacter,
}

impl ApiToken {
    /// Validates a token as a user pasted it: surrounding whitespace is trimmed, and anything
    /// that cannot be a header value a server would accept is refused with the reason.
    pub fn parse(raw: &str) -> Result<Self, TokenError> {
        let token = raw.trim();
        if token.is_empty() {
            return Err(TokenError::Empty);
        }
        if token.len() > MAX_TOKEN_BYTES {
            return Err(TokenError::TooLong);
        }
        if token.chars().any(char::is_whitespace) {
            return Err(TokenError::InnerWhitespace);
        }
        if token.chars().any(char::is_control) {
            return Err(TokenError::ControlCharacter);
        }
        Ok(Self(token.to_owned()))
    }

    /// The raw secret, for the `Authorization` header and the keyring only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiToken(<redacted>)")
    }
}

impl std::fmt::Display for ApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_accepts_a_plain_token() {
        let t = ApiToken::parse("  abc-DEF_123==\n").unwrap();
        assert_eq!(t.expose(), "abc-DEF_123==");
    }

    #[test]
    fn refuses_bad_tokens_with_the_reason() {
        assert_eq!(ApiToken::parse(" \n\t"), Err(TokenError::Empty));
        assert_eq!(ApiToken::parse("ab cd"), Err(TokenError::InnerWhitespace));
        assert_eq!(ApiToken::parse("ab\ncd"), Err(TokenError::InnerWhitespace));
        assert_eq!(
            ApiToken::parse("ab\u{7}cd"),
            Err(TokenError::ControlCharacter)
        );
        assert_eq!(
            ApiToken::parse(&"x".repeat(MAX_TOKEN_BYTES + 1)),
            Err(TokenError::TooLong)
        );
        assert!(ApiToken::parse(&"x".repeat(MAX_TOKEN_BYTES)).is_ok());
    }

    #[test]
    fn never_prints_the_secret() {
        let t = ApiToken::parse("s3cr3t-value").unwrap();
        assert!(!format!("{t:?}").contains("s3cr3t"));
        assert!(!format!("{t}").contains("s3cr3t"));
        assert!(!format!("{:?}", Some(&t)).contains("s3cr3t"));
    }
}
