//! Single sign-on as the UI and the API see it: the configured providers, a user's linked
//! identities, and why a provider sign-in failed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A configured identity provider the log-in page offers a button for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderInfo {
    /// The id used in URLs (`github`, `keycloak`, …).
    pub id: String,
    /// The name on the button.
    pub name: String,
}

/// A provider account linked to the signed-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedIdentity {
    /// The provider id.
    pub provider: String,
    /// The provider's display name (the id when the provider is no longer configured).
    pub provider_name: String,
    /// The provider's id of the account.
    pub subject: String,
    /// The email the provider reported when it was linked.
    pub email: Option<String>,
    /// When it was linked.
    #[serde(deserialize_with = "crate::model::time::deserialize")]
    pub linked_at: DateTime<Utc>,
}

/// How the signed-in user can log in, and what they could link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginMethods {
    /// Whether the account has a password.
    pub has_password: bool,
    /// Linked provider accounts, oldest first.
    pub identities: Vec<LinkedIdentity>,
    /// The configured providers (any can be linked, more than once with different accounts).
    pub providers: Vec<ProviderInfo>,
}

impl LoginMethods {
    /// True when removing one identity would leave no way to log in.
    pub fn is_last_method(&self) -> bool {
        !self.has_password && self.identities.len() <= 1
    }
}

/// Why a provider sign-in or link did not work. Travels as `?sso_error=<code>` to the log-in
/// (or profile) page, which shows [`SsoProblem::message`]: fixed texts, so a crafted link cannot
/// put words on our page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SsoProblem {
    /// The sign-in was not started in this browser, took too long, or was already used.
    Expired,
    /// The user declined at the provider.
    Denied,
    /// The provider answered with an error.
    Provider,
    /// The provider could not be reached or answered nonsense.
    Unavailable,
    /// The provider's tokens did not verify (signature, issuer, audience, expiry, nonce).
    InvalidToken,
    /// The provider did not vouch for an email address.
    UnverifiedEmail,
    /// A KubeOrch account with that email exists and is not linked to this provider account.
    EmailExists,
    /// The email's domain is not allowed for this provider.
    Domain,
    /// No linked account and new accounts are not allowed.
    SignupClosed,
    /// Linking: this provider account belongs to another user.
    AlreadyLinked,
    /// Linking: the session ended or changed meanwhile.
    Session,
    /// No such provider is configured.
    UnknownProvider,
    /// Something broke on our side.
    Internal,
}

const ALL: [SsoProblem; 13] = [
    SsoProblem::Expired,
    SsoProblem::Denied,
    SsoProblem::Provider,
    SsoProblem::Unavailable,
    SsoProblem::InvalidToken,
    SsoProblem::UnverifiedEmail,
    SsoProblem::EmailExists,
    SsoProblem::Domain,
    SsoProblem::SignupClosed,
    SsoProblem::AlreadyLinked,
    SsoProblem::Session,
    SsoProblem::UnknownProvider,
    SsoProblem::Internal,
];

impl SsoProblem {
    /// The code in the URL.
    pub fn code(self) -> &'static str {
        match self {
            SsoProblem::Expired => "expired",
            SsoProblem::Denied => "denied",
            SsoProblem::Provider => "provider",
            SsoProblem::Unavailable => "unavailable",
            SsoProblem::InvalidToken => "invalid_token",
            SsoProblem::UnverifiedEmail => "unverified_email",
            SsoProblem::EmailExists => "email_exists",
            SsoProblem::Domain => "domain",
            SsoProblem::SignupClosed => "signup_closed",
            SsoProblem::AlreadyLinked => "already_linked",
            SsoProblem::Session => "session",
            SsoProblem::UnknownProvider => "unknown_provider",
            SsoProblem::Internal => "internal",
        }
    }

    /// The problem with this code (unknown codes read as [`SsoProblem::Internal`]).
    pub fn parse(code: &str) -> SsoProblem {
        ALL.into_iter()
            .find(|p| p.code() == code)
            .unwrap_or(SsoProblem::Internal)
    }

    /// What the user reads. `provider` is the provider's display name; `detail` is the
    /// provider's OAuth error code when it sent one (a short ASCII token).
    pub fn message(self, provider: &str, detail: Option<&str>) -> String {
        match self {
            SsoProblem::Expired => "The sign-in expired or was already used, or it was started \
                 in another browser. Please try again."
                .into(),
            SsoProblem::Denied => format!("The sign-in was cancelled at {provider}."),
            SsoProblem::Provider => match detail {
                Some(code) => format!("{provider} refused the sign-in ({code}). Please try again."),
                None => format!("{provider} refused the sign-in. Please try again."),
            },
            SsoProblem::Unavailable => format!(
                "{provider} could not be reached or gave an unusable answer. Try again later."
            ),
            SsoProblem::InvalidToken => format!(
                "The answer from {provider} could not be verified, so you were not signed in."
            ),
            SsoProblem::UnverifiedEmail => format!(
                "{provider} did not confirm an email address for your account. Verify your \
                 email there, or log in with your password and link {provider} from your profile."
            ),
            SsoProblem::EmailExists => format!(
                "An account with your {provider} email already exists. Log in with your \
                 password, then link {provider} from your profile."
            ),
            SsoProblem::Domain => {
                format!("Your {provider} email address is not in a domain allowed to sign in here.")
            }
            SsoProblem::SignupClosed => format!(
                "No account is linked to this {provider} login, and new accounts cannot be \
                 created with it. Ask an administrator."
            ),
            SsoProblem::AlreadyLinked => {
                format!("This {provider} account is already linked to another account.")
            }
            SsoProblem::Session => "Your session ended while linking. Log in and try again.".into(),
            SsoProblem::UnknownProvider => "That sign-in method is not available.".into(),
            SsoProblem::Internal => {
                "Something went wrong on the server while signing in. Please try again.".into()
            }
        }
    }
}

/// Whether `detail` is safe to show as a provider's error code: 1–40 characters of `a-z`,
/// `0-9` and `_` (what OAuth error codes look like).
pub fn is_error_code(detail: &str) -> bool {
    (1..=40).contains(&detail.len())
        && detail
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_round_trip_through_their_codes() {
        for problem in ALL {
            assert_eq!(SsoProblem::parse(problem.code()), problem);
            assert!(!problem.message("GitHub", None).is_empty());
        }
        assert_eq!(SsoProblem::parse("<script>"), SsoProblem::Internal);
    }

    #[test]
    fn only_oauth_like_codes_are_shown() {
        assert!(is_error_code("access_denied"));
        assert!(!is_error_code("Access Denied"));
        assert!(!is_error_code("x<y"));
        assert!(!is_error_code(""));
        assert!(!is_error_code(&"a".repeat(41)));
    }

    #[test]
    fn the_last_method_is_protected() {
        let mut methods = LoginMethods {
            has_password: false,
            identities: vec![],
            providers: vec![],
        };
        assert!(methods.is_last_method());
        methods.has_password = true;
        assert!(!methods.is_last_method());
    }
}
