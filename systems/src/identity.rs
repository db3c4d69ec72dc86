//! An agent's identity: its id, name, spirit and naming style, and the rules for ids and names.

use bevy_ecs::component::Component;
use compact_str::CompactString;

use crate::spirit::Spirit;
use crate::style::NamingStyle;

/// Maximum length of an agent id, in characters.
pub const MAX_ID_LEN: usize = 64;
/// Maximum length of an agent name, in characters.
pub const MAX_NAME_LEN: usize = 64;

/// The separator in generated offspring ids. Client ids may not contain it, so
/// an id the world generates can never collide with one a client picks later.
pub const GENERATED_ID_MARK: char = '~';

/// The identity of one agent. It never changes after creation.
///
/// Ids and names of up to 24 bytes, the common case, are stored inline in
/// their [`CompactString`], so most agents need no heap allocation for them.
#[derive(Component, Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// The id clients use in paths; unique forever, also after death.
    pub agent_id: CompactString,
    /// Display name; generated names are unique among living agents.
    pub name: CompactString,
    pub spirit: Spirit,
    pub style: NamingStyle,
    /// Username of the account that created the agent; `None` for agents born
    /// in an automatic breeding pass.
    pub created_by: Option<String>,
    /// Creation order, starting at 0. Parents always have smaller serials than
    /// their children, which the kinship recursion relies on.
    pub serial: u32,
}

/// Checks an id chosen by a client: 1 to 64 characters of `A-Z a-z 0-9 . _ -`.
/// Returns the rule that failed.
pub fn check_client_id(id: &str) -> Result<(), String> {
    check_id(id, false)
}

/// Checks an id used to look an agent up: a client id or a generated one,
/// which may also contain [`GENERATED_ID_MARK`].
pub fn check_lookup_id(id: &str) -> Result<(), String> {
    check_id(id, true)
}

fn check_id(id: &str, allow_generated: bool) -> Result<(), String> {
    if id.is_empty() {
        return Err("must not be empty".into());
    }
    if id.chars().count() > MAX_ID_LEN {
        return Err(format!("must be at most {MAX_ID_LEN} characters"));
    }
    let allowed = |c: char| {
        c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') || (allow_generated && c == GENERATED_ID_MARK)
    };
    if let Some(bad) = id.chars().find(|c| !allowed(*c)) {
        return Err(format!(
            "may contain only letters A-Z and a-z, digits and . _ - (found {bad:?})"
        ));
    }
    Ok(())
}

/// Checks a name given by a client: 1 to 64 printable characters, not only spaces.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("must not be empty or only whitespace".into());
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(format!("must be at most {MAX_NAME_LEN} characters"));
    }
    if name.chars().any(char::is_control) {
        return Err("must contain only printable characters".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_id_rules() {
        assert!(check_client_id("fox-1.a_B").is_ok());
        assert!(check_client_id(&"a".repeat(64)).is_ok());
        assert!(check_client_id("").is_err());
        assert!(check_client_id(&"a".repeat(65)).is_err());
        assert!(check_client_id("fox 1").is_err());
        assert!(check_client_id("fox/1").is_err());
        assert!(check_client_id("renard~2").is_err());
        assert!(check_client_id("é").is_err());
    }

    #[test]
    fn lookup_id_accepts_generated_mark() {
        assert!(check_lookup_id("offspring~2").is_ok());
    }

    #[test]
    fn name_rules() {
        assert!(check_name("Fox the Bold").is_ok());
        assert!(check_name("Renée").is_ok());
        assert!(check_name("  ").is_err());
        assert!(check_name("a\nb").is_err());
        assert!(check_name(&"x".repeat(65)).is_err());
    }
}
